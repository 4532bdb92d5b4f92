/**
 * GLSL sources by name ("core/blur_gauss" for shaders/core/blur_gauss.frag),
 * with `#include "chunks/name"` resolved (each chunk once per shader, so
 * chunks can include the chunks they use) and a line map so a compile error
 * can be reported against the file and line a person edits.
 *
 * The library is filled from a plain record of file contents: Node reads
 * shaders/ from disk (src/node/shader-files.ts), the browser gets the same
 * files from Vite's import.meta.glob (src/browser/shader-files.ts). Everything
 * after loading is shared.
 */

export interface SourceLine {
  file: string;
  line: number;
}

export interface ResolvedShader {
  name: string;
  source: string;
  /** lineMap[i] is where line i + 1 of `source` came from. */
  lineMap: SourceLine[];
}

/** Prepended to every fragment shader: one precision rule for the whole engine. */
const FRAGMENT_PRELUDE = ['precision highp float;', 'precision highp int;'];
const INCLUDE = /^\s*#include\s+"([^"]+)"\s*$/;

export class ShaderLibrary {
  private texts = new Map<string, string>();
  private versions = new Map<string, number>();
  private listeners = new Set<(name: string) => void>();

  /** files: path relative to shaders/ (with extension) -> GLSL text */
  constructor(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) this.texts.set(normalise(path), text);
  }

  /** Names of all fragment shaders (what the demo's shader editor lists). */
  fragmentShaders(): string[] {
    return [...this.texts.keys()].filter((k) => k.endsWith('.frag')).map(stripExtension).sort();
  }

  /** The raw text of a file, as a person edits it. */
  text(name: string): string {
    const key = this.key(name);
    const text = this.texts.get(key);
    if (text === undefined) throw new Error(`unknown shader "${name}" (looked for shaders/${key})`);
    return text;
  }

  /** Every file by path (a copy), e.g. to check an edit in a scratch library. */
  files(): Record<string, string> {
    return Object.fromEntries(this.texts);
  }

  has(name: string): boolean {
    return this.texts.has(this.key(name));
  }

  /** Replaces a file's text (live editing, hot reload) and tells listeners. */
  update(name: string, text: string): void {
    const key = this.key(name);
    this.texts.set(key, text);
    this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    for (const l of this.listeners) l(stripExtension(this.key(name)));
  }

  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Changes whenever the shader or any chunk it includes is edited; the
   * runner folds it into node signatures so an edit re-renders its users.
   */
  revision(name: string): string {
    const files = new Set(this.resolve(name).lineMap.map((l) => l.file.replace(/^shaders\//, '')));
    return [...files].map((f) => this.versions.get(f) ?? 0).join('.');
  }

  /**
   * Full source with includes expanded; fragment shaders get the precision
   * prelude, then one `#define NAME value` per entry of `defines` (a draw's
   * compile-time constants, see DrawOptions.defines).
   */
  resolve(name: string, defines: Record<string, number> = {}): ResolvedShader {
    const key = this.key(name);
    const out: string[] = [];
    const lineMap: SourceLine[] = [];
    if (key.endsWith('.frag')) {
      for (const l of FRAGMENT_PRELUDE) {
        out.push(l);
        lineMap.push({ file: '(prelude)', line: 0 });
      }
    }
    for (const [define, value] of Object.entries(defines)) {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(define) || !Number.isInteger(value)) throw new Error(`shader ${name}: define ${define} = ${value} must be an upper-case name and an integer`);
      out.push(`#define ${define} ${value}`);
      lineMap.push({ file: '(draw defines)', line: 0 });
    }
    this.expand(key, out, lineMap, [], new Set());
    return { name: stripExtension(key), source: out.join('\n'), lineMap };
  }

  private expand(key: string, out: string[], lineMap: SourceLine[], stack: string[], expanded: Set<string>): void {
    if (stack.includes(key)) throw new Error(`shader include cycle: ${[...stack, key].join(' -> ')}`);
    if (expanded.has(key)) return;
    expanded.add(key);
    const text = this.texts.get(key);
    if (text === undefined) {
      const from = stack.length ? ` (included from shaders/${stack[stack.length - 1]})` : '';
      throw new Error(`unknown shader file shaders/${key}${from}`);
    }
    text.split('\n').forEach((lineText, i) => {
      const m = INCLUDE.exec(lineText);
      if (m) {
        this.expand(this.key(m[1], '.glsl'), out, lineMap, [...stack, key], expanded);
      } else {
        out.push(lineText);
        lineMap.push({ file: `shaders/${key}`, line: i + 1 });
      }
    });
  }

  private key(name: string, defaultExt = '.frag'): string {
    const n = normalise(name);
    if (this.texts.has(n)) return n;
    if (/\.(frag|vert|glsl)$/.test(n)) return n;
    return n + defaultExt;
  }
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.?\/?(shaders\/)?/, '');
}
function stripExtension(path: string): string {
  return path.replace(/\.(frag|vert|glsl)$/, '');
}

/** A GLSL compile error mapped back to the file a person edits. */
export class ShaderCompileError extends Error {
  constructor(
    readonly shader: string,
    readonly file: string,
    readonly line: number,
    readonly detail: string,
    readonly sourceLine: string,
  ) {
    super(`${file}:${line}: ${detail}${sourceLine ? `\n    ${line} | ${sourceLine.trim()}` : ''}`);
    this.name = 'ShaderCompileError';
  }
}

const ERROR_LINE = /ERROR:\s*\d+:(\d+):\s*(.*)/;
const lineOffsets = new WeakMap<WebGLRenderingContext, number>();

/**
 * How far the driver's reported line numbers are from ours: some translators
 * (headless-gl's ANGLE) insert a line of their own. Measured once per context
 * with a shader whose error is on a known line.
 */
function lineOffset(gl: WebGLRenderingContext): number {
  let offset = lineOffsets.get(gl);
  if (offset !== undefined) return offset;
  offset = 0;
  const s = gl.createShader(gl.FRAGMENT_SHADER);
  if (s) {
    gl.shaderSource(s, 'precision highp float;\nvoid main() {\n  gl_FragColor = vec4(calibrationProbe);\n}');
    gl.compileShader(s);
    const m = ERROR_LINE.exec(gl.getShaderInfoLog(s) ?? '');
    if (m) offset = Number(m[1]) - 3;
    gl.deleteShader(s);
  }
  lineOffsets.set(gl, offset);
  return offset;
}

/**
 * Compiles a shader on a raw WebGL context to get the driver's log before
 * regl sees it; the first error is reported at its original file and line.
 */
export function checkCompiles(
  gl: WebGLRenderingContext,
  shader: ResolvedShader,
  type: number,
): void {
  const s = gl.createShader(type);
  if (!s) throw new Error('could not create a WebGL shader object (context lost?)');
  try {
    gl.shaderSource(s, shader.source);
    gl.compileShader(s);
    if (gl.getShaderParameter(s, gl.COMPILE_STATUS)) return;
    const log = gl.getShaderInfoLog(s) ?? 'unknown compile error';
    // ANGLE/Mesa/SwiftShader all report "ERROR: 0:<line>: message".
    const m = ERROR_LINE.exec(log);
    const srcLines = shader.source.split('\n');
    if (m) {
      const at = Number(m[1]) - lineOffset(gl);
      const where = shader.lineMap[at - 1] ?? { file: shader.name, line: at };
      throw new ShaderCompileError(shader.name, where.file, where.line, m[2].trim(), srcLines[at - 1] ?? '');
    }
    throw new ShaderCompileError(shader.name, shader.name, 0, log.trim(), '');
  } finally {
    gl.deleteShader(s);
  }
}
