import type REGL from 'regl';
import { ShaderLibrary, checkCompiles, type ResolvedShader } from './shader-library.js';
import { TexturePool, GpuImage } from './texture-pool.js';
import { probeCapabilities, type Capabilities } from './capabilities.js';

/** Anything a shader can sample: pool images, or a raw upload texture. */
export interface Sampleable {
  texture: REGL.Texture2D;
  width: number;
  height: number;
}

export type UniformValue = number | boolean | number[] | Float32Array;

/** Where a draw renders: a pool image, or any framebuffer of a known size (null: the canvas). */
export interface RenderTarget {
  fbo: REGL.Framebuffer2D;
  width: number;
  height: number;
}

export interface DrawOptions {
  /** Fragment shader name under shaders/, e.g. "core/blur_gauss". */
  shader: string;
  /** Sampler uniforms: name -> image. Each also sets `<name>_size` (vec2, texels). */
  inputs?: Record<string, Sampleable>;
  /** Other uniforms by their GLSL name. Arrays fill `name[i]`. */
  uniforms?: Record<string, UniformValue>;
  /** Output size; defaults to the first input's size. */
  width?: number;
  height?: number;
  /**
   * Integer constants prepended as `#define`s; each set of values is its own
   * program. For loop bounds: a loop with a uniform bound and a break runs
   * several times slower on llvmpipe than one it can unroll (a 3-tap blur
   * at 24 MP: 2.6 s against 0.7 s). The shader guards a default with #ifndef.
   */
  defines?: Record<string, number>;
}

const VERTEX_SHADER = 'core/fullscreen.vert';
/** Between a shader's name and its defines in the command cache's keys. */
const VARIANT_SEPARATOR = '|';
const UNIFORM_DECL = /^\s*uniform\s+(\w+)\s+(\w+)\s*(?:\[\s*(\w+)\s*\])?\s*;/;

interface Command {
  draw: REGL.DrawCommand;
  /** Uniform names the program declares (arrays expanded to name[i]). */
  uniforms: Map<string, string>;
  arrays: Map<string, number>;
}

/**
 * Owns the regl context: compiled draw commands by shader name, the texture
 * pool and the capability probe. It knows nothing about graphs; the executor
 * drives it through PassContext.
 */
export class Renderer {
  readonly caps: Capabilities;
  readonly pool: TexturePool;
  private commands = new Map<string, Command>();
  private dummy: REGL.Texture2D;
  /** Number of draw calls since creation (tests count re-renders with it). */
  drawCount = 0;

  constructor(
    readonly regl: REGL.Regl,
    readonly gl: WebGLRenderingContext,
    readonly shaders: ShaderLibrary,
  ) {
    this.caps = probeCapabilities(regl, gl);
    this.pool = new TexturePool(regl, this.caps.format, this.caps.linearFilter);
    this.dummy = regl.texture({ width: 1, height: 1, data: new Uint8Array([0, 0, 0, 0]) });
  }

  /** Compiles a shader now (throws ShaderCompileError with file:line). */
  prepare(name: string): void {
    this.command(name);
  }

  /** Drops compiled commands so edited shader text takes effect. */
  invalidate(names?: Iterable<string>): void {
    if (!names) return this.commands.clear();
    const dropped = new Set(names);
    for (const key of this.commands.keys()) if (dropped.has(key.split(VARIANT_SEPARATOR)[0])) this.commands.delete(key);
  }

  /** Checks that `source` would compile as fragment shader `name`, without installing it. */
  checkSource(resolved: ResolvedShader): void {
    checkCompiles(this.gl, resolved, this.gl.FRAGMENT_SHADER);
  }

  draw(opts: DrawOptions): GpuImage {
    const first = opts.inputs ? Object.values(opts.inputs)[0] : undefined;
    const width = opts.width ?? first?.width;
    const height = opts.height ?? first?.height;
    if (!width || !height) throw new Error(`draw ${opts.shader}: no output size and no input to take it from`);
    const target = this.pool.acquire(Math.round(width), Math.round(height));
    try {
      this.drawInto(target, opts);
    } catch (e) {
      target.release();
      throw e;
    }
    return target;
  }

  /** Returns an image to the pool (lets the renderer act as a Drawer outside passes). */
  release(img: GpuImage): void {
    img.release();
  }

  drawInto(target: RenderTarget | null, opts: DrawOptions): void {
    const cmd = this.command(opts.shader, opts.defines);
    const props: Record<string, unknown> = {};
    for (const [name, img] of Object.entries(opts.inputs ?? {})) {
      if (img instanceof GpuImage && !img.alive) throw new Error(`draw ${opts.shader}: input ${name} was already returned to the pool`);
      props[name] = img.texture;
      props[`${name}_size`] = [img.width, img.height];
    }
    for (const [name, v] of Object.entries(opts.uniforms ?? {})) {
      const n = cmd.arrays.get(name);
      if (n !== undefined) {
        const arr = v as ArrayLike<number>;
        for (let i = 0; i < n; i++) props[`${name}[${i}]`] = i < arr.length ? arr[i] : 0;
      } else {
        props[name] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
    }
    const w = target ? target.width : this.gl.drawingBufferWidth;
    const h = target ? target.height : this.gl.drawingBufferHeight;
    props.u_resolution = [w, h];
    for (const [name, type] of cmd.uniforms) {
      if (props[name] !== undefined) continue;
      if (type === 'sampler2D') props[name] = this.dummy; // optional input left unbound
      else if (name.endsWith('_size')) props[name] = [1, 1];
      else throw new Error(`draw ${opts.shader}: uniform ${name} (${type}) was not given a value`);
    }
    props.__fbo = target ? target.fbo : null;
    props.__viewport = { x: 0, y: 0, width: w, height: h };
    cmd.draw(props);
    this.drawCount++;
  }

  private command(name: string, defines?: Record<string, number>): Command {
    const variant = defines ? Object.entries(defines).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',') : '';
    const key = variant ? `${name}${VARIANT_SEPARATOR}${variant}` : name;
    const cached = this.commands.get(key);
    if (cached) return cached;
    const frag = this.shaders.resolve(name, defines);
    const vert = this.shaders.resolve(VERTEX_SHADER);
    checkCompiles(this.gl, frag, this.gl.FRAGMENT_SHADER);
    const uniforms = new Map<string, string>();
    const arrays = new Map<string, number>();
    const uniformProps: Record<string, unknown> = {};
    const constants = collectIntDefines(frag.source);
    for (const line of frag.source.split('\n')) {
      const m = UNIFORM_DECL.exec(line);
      if (!m) continue;
      const [, type, uname, len] = m;
      if (len !== undefined) {
        const n = /^\d+$/.test(len) ? Number(len) : constants.get(len);
        if (n === undefined) throw new Error(`${name}: array size ${len} of uniform ${uname} must be a literal or #define`);
        arrays.set(uname, n);
        for (let i = 0; i < n; i++) {
          uniforms.set(`${uname}[${i}]`, type);
          uniformProps[`${uname}[${i}]`] = byName(`${uname}[${i}]`);
        }
      } else {
        uniforms.set(uname, type);
        uniformProps[uname] = byName(uname);
      }
    }
    const draw = this.regl({
      vert: vert.source,
      frag: frag.source,
      attributes: { a_position: [-1, -1, 3, -1, -1, 3] },
      count: 3,
      uniforms: uniformProps as any,
      framebuffer: this.regl.prop<any, any>('__fbo'),
      viewport: this.regl.prop<any, any>('__viewport'),
      depth: { enable: false },
      blend: { enable: false },
    });
    const cmd = { draw, uniforms, arrays };
    this.commands.set(key, cmd);
    return cmd;
  }
}

/** A dynamic uniform read by exact key (regl.prop would parse "a[0]" as a path). */
function byName(key: string) {
  return (_: unknown, props: Record<string, unknown>) => props[key];
}

/** Integer #defines; the first of a name wins (a draw's define precedes the shader's #ifndef default). */
function collectIntDefines(source: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of source.matchAll(/^\s*#define\s+(\w+)\s+(\d+)\s*$/gm)) if (!out.has(m[1])) out.set(m[1], Number(m[2]));
  return out;
}
