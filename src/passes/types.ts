import type { GpuImage } from '../gpu/texture-pool.js';
import type { DrawOptions } from '../gpu/renderer.js';
import type { Capabilities } from '../gpu/capabilities.js';
import type { ParamSchemas, ParamValues } from './schema.js';

export interface PortSpec {
  name: string;
  description: string;
  /** Optional inputs may be left unconnected; the pass then sees undefined. */
  optional?: boolean;
}

/**
 * What a pass may do while it runs. Every image it draws is a temporary owned
 * by the context: whatever the pass does not return as an output goes back to
 * the pool when the pass ends, so pass code never manages lifetimes beyond
 * an optional early `release` to keep its peak memory low.
 */
export interface PassContext {
  /**
   * Render pixels per "px" unit: 1 at full resolution, 0.25 for a quarter-size
   * preview, times source size / referenceSize when the graph sets one.
   */
  readonly scale: number;
  readonly caps: Capabilities;
  draw(opts: DrawOptions): GpuImage;
  /** Returns a temporary to the pool before the pass ends. */
  release(img: GpuImage): void;
  /**
   * Whether this run reads the named output. A pass may skip the work of an
   * output nobody reads and leave it out of its result (the glare preset
   * reads only the keyer's trimap, not its refined matte). Always true when
   * the runner caches every output for later views (retain "all").
   */
  wants(output: string): boolean;
  warn(message: string): void;
  /**
   * Leaves a 1x1 image whose value a caller may turn into a note after the
   * run (GraphRunner.notes): what the pass found about this image, such as a
   * decision it took for the whole frame. Read back only when asked, so a
   * preview does not wait for it. `describe` returns undefined for nothing to say.
   */
  notice(image: GpuImage, describe: (value: ArrayLike<number>) => string | undefined): void;
}

export interface PassDefinition {
  /** Registered name, "<family>.<pass>", e.g. "blur.gaussian". */
  type: string;
  title: string;
  /** Family shown in the UI: core, glare, frequency, detail, imperfections, light, background. */
  category: string;
  description: string;
  inputs: readonly PortSpec[];
  /** The first output is the node's main output. */
  outputs: readonly PortSpec[];
  params: ParamSchemas;
  /** Fragment shaders it draws with (the demo's shader editor lists them per node). */
  shaders: readonly string[];
  /**
   * Expands the node into draws. `params` arrive validated with defaults
   * filled and "px" values already multiplied by ctx.scale. Must return
   * every output for which ctx.wants() is true.
   */
  run(ctx: PassContext, inputs: Record<string, GpuImage | undefined>, params: ParamValues): Record<string, GpuImage>;
}

/** Helper so pass modules get full type checking of their own params object. */
export function definePass(def: PassDefinition): PassDefinition {
  return def;
}
