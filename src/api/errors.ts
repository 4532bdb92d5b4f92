import { GraphValidationError, formatIssue, type GraphIssue } from '../graph/errors.js';

/**
 * What went wrong, as a stable machine-readable code (the CLI's --json lines
 * and the HTTP service's error bodies carry it).
 */
export type LoupeErrorCode =
  | 'FILE_NOT_FOUND'
  | 'EMPTY_FILE'
  | 'CORRUPT_IMAGE'
  | 'TRUNCATED_IMAGE'
  | 'UNSUPPORTED_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'INVALID_GRAPH'
  | 'UNKNOWN_PRESET'
  | 'INVALID_OPTION'
  | 'RENDER_FAILED'
  | 'OUTPUT_IS_INPUT'
  | 'WRITE_FAILED';

export interface LoupeErrorDetails {
  /** The file the problem is in (input image, graph or preset file). */
  file?: string;
  /** The graph node concerned. */
  node?: string;
  /** The parameter or field concerned, e.g. "params.sigma". */
  param?: string;
  cause?: unknown;
}

/** Base class of every error the Node API, the CLI and the service report. */
export class LoupeError extends Error {
  readonly file?: string;
  readonly node?: string;
  readonly param?: string;

  constructor(
    readonly code: LoupeErrorCode,
    message: string,
    details: LoupeErrorDetails = {},
  ) {
    super(details.file ? `${details.file}: ${message}` : message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.file = details.file;
    this.node = details.node;
    this.param = details.param;
  }

  /** JSON form used by `--json` lines and HTTP error bodies. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, file: this.file, node: this.node, param: this.param };
  }
}

/** An input image that cannot be read: missing, empty, corrupt, truncated or of an unsupported format. */
export class ImageDecodeError extends LoupeError {}

/** The image has more pixels than allowed; refused before decoding (decompression bombs). */
export class ImageTooLargeError extends LoupeError {
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
    file?: string,
  ) {
    super(
      'IMAGE_TOO_LARGE',
      `image is ${width}x${height} (${formatMegapixels(width * height)}), over the limit of ${formatMegapixels(maxPixels)}; ` +
        'it was refused before decoding (raise the limit with --max-pixels / maxPixels if the file is trusted)',
      { file },
    );
  }
}

/** A graph or preset that cannot run; `issues` lists every problem with its node and field. */
export class GraphError extends LoupeError {
  constructor(
    message: string,
    readonly issues: GraphIssue[] = [],
    file?: string,
  ) {
    super('INVALID_GRAPH', message, { file, node: issues[0]?.node, param: issues[0]?.field });
  }

  static fromValidation(e: GraphValidationError, file?: string): GraphError {
    const summary = e.issues.map(formatIssue).join('; ');
    return new GraphError(`invalid graph: ${summary}`, e.issues, file);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

export class UnknownPresetError extends LoupeError {
  constructor(
    readonly preset: string,
    readonly available: string[],
  ) {
    super('UNKNOWN_PRESET', `unknown preset "${preset}" (available: ${available.join(', ') || 'none installed'})`);
  }
}

/** A bad option value (CLI flag, API option or request parameter). */
export class OptionError extends LoupeError {
  constructor(message: string, details: LoupeErrorDetails = {}) {
    super('INVALID_OPTION', message, details);
  }
}

/** The graph failed while running on the GPU; `node` names the failing node when known. */
export class RenderError extends LoupeError {}

/** Turns anything thrown by the engine into a LoupeError that names the node. */
export function toLoupeError(e: unknown, file?: string): LoupeError {
  if (e instanceof LoupeError) return e;
  if (e instanceof GraphValidationError) return GraphError.fromValidation(e, file);
  const message = e instanceof Error ? e.message : String(e);
  // Runner errors start with `node "<id>" (<pass>): ...`.
  const node = /^node "([^"]+)"/.exec(message)?.[1];
  return new RenderError('RENDER_FAILED', message, { file, node, cause: e });
}

export function formatMegapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 1e6 ? 3 : 1)} MP`;
}
