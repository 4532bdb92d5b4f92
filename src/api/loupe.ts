import { readFile } from 'node:fs/promises';
import type { Engine, PixelBuffer } from '../engine/engine.js';
import { FILE_ENCODING } from '../engine/engine.js';
import { externalNames, type GraphSpec, type ParamValue } from '../graph/types.js';
import type { GpuImage } from '../gpu/texture-pool.js';
import { resizeImage } from '../passes/core/resize.js';
import { hintsMismatch } from '../engine/hints.js';
import { GraphValidationError } from '../graph/errors.js';
import { getHeadlessEngine } from '../node/headless.js';
import {
  configureLibvips,
  decodeImage,
  encodeImage,
  DEFAULT_MAX_PIXELS,
  type DecodedImage,
  type ImageFormat,
  isOpaque,
  type ImageMetadata,
  type LibvipsSettings,
} from '../node/image-io.js';
import type { Preset, PresetProblem } from '../presets/index.js';
import { loadPresetsFromDir, BUILTIN_PRESETS_DIR } from './presets.js';
import { GraphError, ImageTooLargeError, OptionError, UnknownPresetError, toLoupeError } from './errors.js';

/** The default retouch: the full catalogue chain to a clean white background. */
export const DEFAULT_PRESET = 'catalogue';

export interface LoupeOptions {
  /** Folder of preset graph JSON files (default: the built-in src/presets). */
  presetsDir?: string;
  /** Images with more pixels are refused before decoding (default 100 MP). */
  maxPixels?: number;
  /** An engine to use instead of the process-wide headless one. */
  engine?: Engine;
  /** libvips' operation cache and threads (process-wide; default: cache off, sharp's thread count). */
  libvips?: LibvipsSettings;
}

/** One `--set node.param=value` override. */
export interface ParamOverride {
  node: string;
  param: string;
  value: ParamValue;
}

/** Where a graph comes from. */
export type GraphSource = { preset: string } | { graph: unknown; file?: string } | { graphFile: string };

/** Raw pixels: RGBA, sRGB-encoded, straight alpha; Uint8 0..255, Uint16 0..65535 or Float32 0..1. */
export type RawImage = PixelBuffer;
/** What can be retouched: a file path, an encoded file in a Buffer, a decoded image or raw pixels. */
export type ImageInput = string | Buffer | DecodedImage | RawImage;

export type SampleType = 'uint8' | 'uint16' | 'float32';

export interface RenderOptions {
  /** Graph output to return as the image (default "result", else the first output). */
  output?: string;
  /** Further outputs to return: graph output names or node references such as "split:high". */
  dump?: string[];
  /** Sample type of the returned pixels (default: uint16 for 16-bit inputs, else uint8). */
  sampleType?: SampleType;
  /**
   * The user's strokes, the graph's "$hints": red = definitely piece, green =
   * definitely backdrop, black or transparent elsewhere. The image's size, or
   * its shape at another size (resized to it).
   */
  hints?: DecodedImage | RawImage;
}

export interface RenderResult {
  image: PixelBuffer;
  /** Keyed by the name given in `dump`. */
  dumps: Record<string, PixelBuffer>;
  /** What the passes found about this image and did about it (e.g. a key that kept the whole frame), as "node "id": message". */
  notes: string[];
  milliseconds: number;
}

export interface EncodeResultOptions {
  format?: ImageFormat;
  quality?: number;
  /** Bits per sample of the file (default: the input's; 16 only for PNG and TIFF). */
  bitDepth?: 8 | 16;
}

export interface RetouchOptions extends Omit<RenderOptions, 'sampleType' | 'hints'>, EncodeResultOptions {
  /** RenderOptions.hints, also as a file path or an encoded file. */
  hints?: ImageInput;
  /** The graph to run, from `loupe.graph(...)` (or any GraphSource). */
  graph: GraphSpec | GraphSource;
  /** Names a Buffer input in error messages (paths name themselves). */
  label?: string;
}

export interface Timings {
  decodeMs: number;
  renderMs: number;
  encodeMs: number;
}

export interface RetouchResult {
  buffer: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
  bitDepth: 8 | 16;
  /** Dumped node outputs, encoded as PNG, keyed by the name given in `dump`. */
  dumps: Record<string, Buffer>;
  /** What the passes found about this image and did about it (RenderResult.notes). */
  notes: string[];
  timings: Timings;
}

export interface PresetInfo {
  name: string;
  description: string;
  /** Whether every pass the preset uses is installed and its parameters are valid. */
  valid: boolean;
  problem?: string;
}

/**
 * The Node API. One instance wraps one engine (one GL context per process);
 * create it once with `createLoupe()` and reuse it for every image.
 *
 * GPU work (`render`) is synchronous, so concurrent async callers are
 * serialized by the event loop while decoding and encoding (libvips threads)
 * overlap.
 */
export class Loupe {
  readonly maxPixels: number;
  private readonly presetsDir: string;

  constructor(
    readonly engine: Engine,
    opts: Omit<LoupeOptions, 'engine'> = {},
  ) {
    this.presetsDir = opts.presetsDir ?? BUILTIN_PRESETS_DIR;
    this.maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
    if (!(Number.isInteger(this.maxPixels) && this.maxPixels > 0)) throw new OptionError(`maxPixels must be a positive integer, got ${opts.maxPixels}`);
  }

  /** Every registered pass with its parameter schema. */
  passes(): object[] {
    return this.engine.registry.describe();
  }

  /** Installed presets, each checked against the passes of this engine. Reads the folder each time. */
  presets(): PresetInfo[] {
    const { presets, problems } = this.loadPresets();
    const list: PresetInfo[] = [...presets.values()].map((p) => {
      try {
        this.engine.validate(p.graph);
        return { name: p.name, description: p.description, valid: true };
      } catch (e) {
        return { name: p.name, description: p.description, valid: false, problem: toLoupeError(e).message };
      }
    });
    for (const p of problems) list.push({ name: p.source, description: '', valid: false, problem: p.message });
    return list;
  }

  /** A preset's graph JSON (not validated: `graph()` validates). */
  preset(name: string): Preset {
    const { presets } = this.loadPresets();
    const p = presets.get(name);
    if (!p) throw new UnknownPresetError(name, [...presets.keys()]);
    return p;
  }

  hasPreset(name: string): boolean {
    return this.loadPresets().presets.has(name);
  }

  private loadPresets() {
    return loadPresetsFromDir(this.presetsDir);
  }

  /**
   * Resolves a preset, a graph object or a graph file, applies parameter
   * overrides and validates the result: a GraphError names the file, node
   * and parameter of every problem.
   */
  async graph(source: GraphSource, overrides: ParamOverride[] = []): Promise<GraphSpec> {
    let spec: unknown;
    let file: string | undefined;
    if ('preset' in source) {
      const p = this.preset(source.preset);
      spec = p.graph;
      file = p.source;
    } else if ('graphFile' in source) {
      file = source.graphFile;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new OptionError(`cannot read the graph file: ${(e as Error).message}`, { file });
      }
      try {
        spec = JSON.parse(text);
      } catch (e) {
        throw new GraphError(`not valid JSON: ${(e as Error).message}`, [], file);
      }
    } else {
      spec = source.graph;
      file = source.file;
    }
    return this.prepareGraph(spec, overrides, file);
  }

  /** Synchronous core of graph(): override + validate an in-memory graph. */
  prepareGraph(spec: unknown, overrides: ParamOverride[] = [], file?: string): GraphSpec {
    const graph = structuredClone(spec) as GraphSpec;
    if (overrides.length && Array.isArray(graph?.nodes)) {
      const issues = [];
      for (const o of overrides) {
        const node = graph.nodes.find((n) => n.id === o.node);
        if (!node) {
          issues.push({ node: o.node, field: `params.${o.param}`, message: `no such node in this graph (nodes: ${graph.nodes.map((n) => n.id).join(', ')})` });
          continue;
        }
        node.params = { ...node.params, [o.param]: o.value };
      }
      if (issues.length) throw GraphError.fromValidation(new GraphValidationError(issues), file);
    }
    try {
      this.engine.validate(graph);
    } catch (e) {
      throw toLoupeError(e, file);
    }
    return graph;
  }

  /** Decodes an image file or buffer (EXIF orientation applied, pixel limit enforced). */
  decode(input: string | Buffer, label?: string): Promise<DecodedImage> {
    return decodeImage(input, { maxPixels: this.maxPixels, label });
  }

  /** Decodes a hints image (a path names itself in errors). */
  async decodeHints(hints: ImageInput): Promise<DecodedImage> {
    if (typeof hints !== 'string' && !Buffer.isBuffer(hints)) return 'pixels' in hints ? hints : rawAsDecoded(hints);
    const file = typeof hints === 'string' ? hints : undefined;
    try {
      return await this.decode(hints, file ?? 'hints');
    } catch (e) {
      const err = toLoupeError(e);
      // The decoder's message names the file already; it is named once, as the error's file.
      const reason = err.file && err.message.startsWith(`${err.file}: `) ? err.message.slice(err.file.length + 2) : err.message;
      throw new OptionError(`cannot read the hints: ${reason}`, { file });
    }
  }

  /**
   * Runs a prepared graph on one image, on the GPU, synchronously. The image
   * is the graph's "$source".
   */
  render(graph: GraphSpec, image: DecodedImage | RawImage, opts: RenderOptions = {}, file?: string): RenderResult {
    const pixels = 'pixels' in image ? image.pixels : image;
    if (pixels.width * pixels.height > this.maxPixels) throw new ImageTooLargeError(pixels.width, pixels.height, this.maxPixels, file);
    const sampleType = opts.sampleType ?? (pixels.data instanceof Uint16Array ? 'uint16' : 'uint8');
    const main = opts.output ?? ('result' in graph.outputs ? 'result' : Object.keys(graph.outputs)[0]);
    if (!(main in graph.outputs)) throw new GraphError(`the graph has no output "${main}" (outputs: ${Object.keys(graph.outputs).join(', ')})`, [{ field: `outputs.${main}`, message: 'no such output' }], file);

    // Dumps that are not graph outputs become extra outputs of a copy of the graph.
    const spec: GraphSpec = { ...graph, outputs: { ...graph.outputs } };
    const dumpOutputs = new Map<string, string>();
    for (const ref of opts.dump ?? []) {
      if (ref in graph.outputs) dumpOutputs.set(ref, ref);
      else {
        const name = `dump:${ref}`;
        spec.outputs[name] = ref;
        dumpOutputs.set(ref, name);
      }
    }
    const t0 = performance.now();
    let runner;
    try {
      runner = this.engine.runner(spec, 'none');
    } catch (e) {
      throw toLoupeError(e, file);
    }
    try {
      runner.setExternal('source', this.engine.upload(pixels, FILE_ENCODING));
      if (opts.hints) runner.setExternal('hints', this.uploadHints(graph, opts.hints, pixels));
      const results = runner.run({ outputs: [...new Set([main, ...dumpOutputs.values()])] });
      const image = this.engine.download(results.get(main)!, FILE_ENCODING, sampleType);
      const dumps: Record<string, PixelBuffer> = {};
      for (const [ref, name] of dumpOutputs) dumps[ref] = this.engine.download(results.get(name)!, FILE_ENCODING, sampleType);
      const notes = runner.notes((img) => this.engine.download(img, { transfer: 'linear', alpha: img.alpha }, 'float32').data);
      return { image, dumps, notes, milliseconds: performance.now() - t0 };
    } catch (e) {
      throw toLoupeError(e, file);
    } finally {
      runner.dispose();
    }
  }

  /** The hints on the GPU at the image's size; a clear error when the graph reads none or their shape differs. */
  private uploadHints(graph: GraphSpec, hints: DecodedImage | RawImage, image: PixelBuffer): GpuImage {
    requireHintsInput(graph);
    const px = 'pixels' in hints ? hints.pixels : hints;
    const { width, height } = image;
    const mismatch = hintsMismatch(px, image);
    if (mismatch) throw new OptionError(mismatch);
    const uploaded = this.engine.upload(px, FILE_ENCODING);
    if (px.width === width && px.height === height) return uploaded;
    const resized = resizeImage(this.engine.renderer, uploaded, width, height);
    uploaded.release();
    return resized;
  }

  /** Encodes pixels to an image file buffer, keeping the source's metadata. */
  encode(pixels: PixelBuffer, opts: EncodeResultOptions & { alpha?: boolean; metadata?: ImageMetadata } = {}): Promise<Buffer> {
    return encodeImage(pixels, {
      format: opts.format ?? 'png',
      quality: opts.quality,
      bitDepth: opts.bitDepth,
      alpha: opts.alpha,
      metadata: opts.metadata,
    });
  }

  /**
   * The whole job: decode, run the graph, encode. The output keeps the
   * source's bit depth (16-bit PNG/TIFF stay 16-bit), alpha channel (or
   * gains one when the graph makes pixels transparent), ICC profile and EXIF
   * fields.
   */
  async retouch(input: ImageInput, opts: RetouchOptions): Promise<RetouchResult> {
    const file = typeof input === 'string' ? input : opts.label;
    const graph = isGraphSpec(opts.graph) ? opts.graph : await this.graph(opts.graph);
    const t0 = performance.now();
    const decoded: DecodedImage =
      typeof input === 'string' || Buffer.isBuffer(input) ? await this.decode(input, file) : 'pixels' in input ? input : rawAsDecoded(input);
    const t1 = performance.now();
    const format = opts.format ?? decoded.format;
    const bitDepth = opts.bitDepth ?? defaultBitDepth(decoded, format);
    if (bitDepth === 16 && format !== 'png' && format !== 'tiff') throw new OptionError(`16-bit output needs png or tiff, not ${format}`);
    const hints = opts.hints === undefined ? undefined : await this.decodeHints(opts.hints);
    const rendered = this.render(graph, decoded, { output: opts.output, dump: opts.dump, sampleType: bitDepth === 16 ? 'uint16' : 'uint8', hints }, file);
    const t2 = performance.now();
    const alpha = decoded.hasAlpha || !isOpaque(rendered.image);
    const buffer = await this.encode(rendered.image, { format, quality: opts.quality, bitDepth, alpha, metadata: decoded.metadata });
    const dumps: Record<string, Buffer> = {};
    for (const [ref, px] of Object.entries(rendered.dumps)) dumps[ref] = await this.encode(px, { format: 'png', bitDepth });
    const t3 = performance.now();
    return {
      buffer,
      format,
      width: rendered.image.width,
      height: rendered.image.height,
      bitDepth,
      dumps,
      notes: rendered.notes,
      timings: { decodeMs: round(t1 - t0), renderMs: round(t2 - t1), encodeMs: round(t3 - t2) },
    };
  }
}

/** Creates the API on the process-wide headless engine (started on first use). */
export async function createLoupe(opts: LoupeOptions = {}): Promise<Loupe> {
  configureLibvips(opts.libvips);
  const engine = opts.engine ?? (await getHeadlessEngine());
  return new Loupe(engine, opts);
}

/** Hints go only to a graph that reads them. */
export function requireHintsInput(graph: GraphSpec): void {
  if (!externalNames(graph).has('hints'))
    throw new OptionError('hints were given, but this graph reads no "$hints" (the catalogue, cutout, white-background, lighting and glare presets do)');
}

/** 16-bit sources stay 16-bit where the output format can hold it (PNG, TIFF). */
export function defaultBitDepth(decoded: DecodedImage, format: ImageFormat): 8 | 16 {
  return decoded.bitDepth === 16 && (format === 'png' || format === 'tiff') ? 16 : 8;
}

/** Parses "node.param=value"; the value is JSON (numbers, booleans, arrays) or else a bare string (enum options). */
export function parseOverride(text: string): ParamOverride {
  const m = /^([A-Za-z_][\w-]*)\.([A-Za-z_]\w*)=(.*)$/s.exec(text);
  if (!m) throw new OptionError(`--set expects <node>.<param>=<value>, e.g. blur.sigma=2.5; got "${text}"`);
  let value: ParamValue;
  try {
    value = JSON.parse(m[3]);
  } catch {
    value = m[3];
  }
  return { node: m[1], param: m[2], value };
}

export type { Preset, PresetProblem };

function isGraphSpec(g: GraphSpec | GraphSource): g is GraphSpec {
  return 'nodes' in g;
}

function rawAsDecoded(raw: RawImage): DecodedImage {
  const data = raw.data instanceof Uint16Array ? raw.data : raw.data instanceof Float32Array ? Uint16Array.from(raw.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 65535)) : new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.length);
  return { pixels: { width: raw.width, height: raw.height, data }, bitDepth: data instanceof Uint16Array ? 16 : 8, hasAlpha: true, format: 'png', metadata: {} };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
