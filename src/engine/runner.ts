import type { Renderer } from '../gpu/renderer.js';
import type { GpuImage } from '../gpu/texture-pool.js';
import type { PassRegistry } from '../passes/registry.js';
import type { PassContext } from '../passes/types.js';
import { checkParam, scaleSpatial, type ParamValues } from '../passes/schema.js';
import { compileGraph, refKey, type CompiledGraph, type CompiledNode, type CompiledRef } from '../graph/compile.js';
import { GraphValidationError } from '../graph/errors.js';
import type { GraphSpec, ParamValue } from '../graph/types.js';
import { resizeImage } from '../passes/core/resize.js';

/**
 * What to keep between runs.
 * - "all": every node's outputs stay cached, so changing one parameter re-runs
 *   only that node and its dependants (interactive preview). A node draws only
 *   the outputs a run reads; another view of it later re-runs it once.
 * - "none": intermediates go back to the pool as soon as their last reader has
 *   run, so a chain of N passes holds a handful of textures (batch rendering).
 */
export type RetainPolicy = 'all' | 'none';

export interface RunOptions {
  /** Render scale relative to the full-resolution externals (preview < 1). */
  scale?: number;
  /** Subset of graph outputs to produce (others are culled). */
  outputs?: string[];
}

export interface RunStats {
  nodesRun: string[];
  nodesReused: string[];
  draws: number;
  milliseconds: number;
}

/** A 1x1 image a pass left for a note (PassContext.notice). */
interface Notice {
  image: GpuImage;
  describe: (value: ArrayLike<number>) => string | undefined;
}

interface CacheEntry {
  signature: string;
  outputs: Record<string, GpuImage>;
}

/**
 * Executes one graph incrementally. The runner owns the graph spec (the
 * source of truth the demo exports), the external images, and the cache of
 * node outputs keyed by a signature of everything that determines them.
 */
export class GraphRunner {
  private spec: GraphSpec;
  private compiled = new Map<string, CompiledGraph>();
  private cache = new Map<string, CacheEntry>();
  private externals = new Map<string, { image: GpuImage; version: number }>();
  private scaledExternals = new Map<string, { key: string; image: GpuImage }>();
  private results = new Map<string, GpuImage>();
  /** Per node, the notices of its latest execution (kept while its outputs are reused from the cache). */
  private notices = new Map<string, Notice[]>();
  /** The nodes of the latest run, in order: whose notices notes() reads. */
  private lastNodes: string[] = [];
  private externalVersion = 0;
  lastRun: RunStats = { nodesRun: [], nodesReused: [], draws: 0, milliseconds: 0 };

  constructor(
    private readonly renderer: Renderer,
    private readonly registry: PassRegistry,
    spec: GraphSpec,
    readonly retain: RetainPolicy = 'all',
  ) {
    this.spec = structuredClone(spec);
    this.compile(); // validate now: a bad graph fails at load, not at first render
  }

  /** The graph with its current parameters, as JSON-serializable data. */
  graph(): GraphSpec {
    return structuredClone(this.spec);
  }

  /** Replaces the graph; cached outputs of nodes whose inputs and params are unchanged are reused. */
  setGraph(spec: GraphSpec): void {
    const previous = this.spec;
    this.spec = structuredClone(spec);
    this.compiled.clear();
    try {
      this.compile();
    } catch (e) {
      this.spec = previous;
      this.compiled.clear();
      throw e;
    }
  }

  /** Sets one parameter after checking it against the pass schema. */
  setParam(nodeId: string, name: string, value: ParamValue): void {
    const node = this.node(nodeId);
    const pass = this.registry.get(node.pass)!;
    const schema = pass.params[name];
    if (!schema) throw new GraphValidationError([{ node: nodeId, field: `params.${name}`, message: `unknown parameter for ${pass.type}` }]);
    const why = checkParam(schema, value);
    if (why) throw new GraphValidationError([{ node: nodeId, field: `params.${name}`, message: why }]);
    node.params = { ...node.params, [name]: structuredClone(value) };
    this.compiled.clear();
  }

  setEnabled(nodeId: string, enabled: boolean): void {
    this.node(nodeId).enabled = enabled;
    this.compiled.clear();
  }

  /**
   * Gives the runner an external image ("source", "background", ...) and
   * takes ownership. With retain "none" each run consumes its externals.
   */
  setExternal(name: string, image: GpuImage): void {
    this.externals.get(name)?.image.release();
    this.externals.set(name, { image, version: ++this.externalVersion });
  }

  /** Takes an external image away: an optional one ("$name?") then reads as absent again. */
  removeExternal(name: string): void {
    this.externals.get(name)?.image.release();
    this.externals.delete(name);
    this.scaledExternals.get(name)?.image.release();
    this.scaledExternals.delete(name);
  }

  hasExternal(name: string): boolean {
    return this.externals.has(name);
  }

  /**
   * Renders the requested outputs. Returned images belong to the runner and
   * stay valid until the next run() or dispose().
   */
  run(opts: RunOptions = {}): Map<string, GpuImage> {
    const t0 = performance.now();
    const draws0 = this.renderer.drawCount;
    const scale = opts.scale ?? 1;
    if (!(scale > 0 && scale <= 1)) throw new RangeError(`render scale must be in (0, 1], got ${scale}`);
    const g = this.compile(opts.outputs);
    for (const name of g.externals) {
      if (!this.externals.has(name)) throw new GraphValidationError([{ field: `$${name}`, message: `the graph reads external image "$${name}" but none was given` }]);
    }
    const pxScale = scale * this.referenceScale();
    for (const r of this.results.values()) r.release();
    this.results.clear();
    const externalVersions = new Map([...this.externals].map(([k, v]) => [k, v.version]));

    const live = new Map<string, GpuImage>();
    const signatures = new Map<string, string>();
    const remaining = new Map(g.consumers);
    const stats: RunStats = { nodesRun: [], nodesReused: [], draws: 0, milliseconds: 0 };

    const consume = (key: string) => {
      const left = (remaining.get(key) ?? 0) - 1;
      remaining.set(key, left);
      if (left === 0) {
        live.get(key)?.release();
        live.delete(key);
      }
    };
    /** An optional external that this run was not given reads as absent (batch mode takes a given one out of `externals` at its first reader). */
    const absent = (ref: CompiledRef) => ref.kind === 'external' && ref.optional && !this.externals.has(ref.name) && !live.has(refKey(ref));
    const fetch = (ref: CompiledRef): GpuImage => {
      const key = refKey(ref);
      let img = live.get(key);
      if (!img && ref.kind === 'external') {
        img = this.retain === 'none' ? this.takeExternal(ref.name, scale) : this.external(ref.name, scale).retain();
        live.set(key, img);
      }
      if (!img) throw new Error(`internal: ${key} was released before its last reader`);
      return img;
    };
    const signatureOf = (ref: CompiledRef) =>
      ref.kind === 'external' ? `$${ref.name}@${externalVersions.get(ref.name) ?? 'absent'}` : `${signatures.get(ref.name)}:${ref.output}`;

    for (const node of g.order) {
      const signature = hash(
        [node.pass.type, node.enabled, JSON.stringify(node.params), scale, pxScale, node.pass.shaders.map((s) => this.renderer.shaders.revision(s)).join(','), ...node.inputs.map((i) => `${i.slot}=${signatureOf(i.ref)}`)].join('|'),
      );
      signatures.set(node.id, signature);
      const cached = this.cache.get(node.id);
      const current = cached?.signature === signature ? cached : undefined;
      // An output is drawn when this run reads it; a cached node is re-run only
      // for an output it skipped, and then keeps what it had, so flipping
      // between views of one node does not redraw it each time.
      const read = (output: string) => (remaining.get(`${node.id}:${output}`) ?? 0) > 0;
      const wanted = (output: string) => read(output) || (current !== undefined && output in current.outputs);
      let outputs: Record<string, GpuImage>;
      if (current && node.pass.outputs.every((o) => !read(o.name) || o.name in current.outputs)) {
        outputs = current.outputs;
        for (const img of Object.values(outputs)) img.retain();
        stats.nodesReused.push(node.id);
      } else {
        const inputs: Record<string, GpuImage | undefined> = {};
        for (const inp of node.inputs) if (!absent(inp.ref)) inputs[inp.slot] = fetch(inp.ref);
        const notices: Notice[] = [];
        outputs = this.execute(node, inputs, pxScale, wanted, notices);
        for (const n of this.notices.get(node.id) ?? []) n.image.release();
        this.notices.set(node.id, notices);
        stats.nodesRun.push(node.id);
        if (this.retain === 'all') {
          if (cached) for (const img of Object.values(cached.outputs)) img.release();
          for (const img of Object.values(outputs)) img.retain();
          this.cache.set(node.id, { signature, outputs });
        }
      }
      for (const inp of node.inputs) consume(refKey(inp.ref));
      for (const [name, img] of Object.entries(outputs)) {
        const key = `${node.id}:${name}`;
        if ((remaining.get(key) ?? 0) > 0) live.set(key, img);
        else img.release();
      }
    }
    for (const [name, ref] of g.outputs) {
      const img = fetch(ref).retain();
      this.results.set(name, img);
      consume(refKey(ref));
    }
    this.lastNodes = g.order.map((node) => node.id);
    if (this.retain === 'none') this.dropScaledExternals();
    stats.draws = this.renderer.drawCount - draws0;
    stats.milliseconds = performance.now() - t0;
    this.lastRun = stats;
    return this.results;
  }

  /**
   * What the passes of the latest run had to say about the image (each
   * notice's 1x1 value read back by `read`), as "node "id": message".
   */
  notes(read: (image: GpuImage) => ArrayLike<number>): string[] {
    const notes: string[] = [];
    for (const id of this.lastNodes) {
      for (const n of this.notices.get(id) ?? []) {
        const message = n.describe(read(n.image));
        if (message) notes.push(`node "${id}": ${message}`);
      }
    }
    return notes;
  }

  /** Frees every cached and external texture. */
  dispose(): void {
    for (const list of this.notices.values()) for (const n of list) n.image.release();
    this.notices.clear();
    for (const r of this.results.values()) r.release();
    this.results.clear();
    for (const c of this.cache.values()) for (const img of Object.values(c.outputs)) img.release();
    this.cache.clear();
    for (const e of this.externals.values()) e.image.release();
    this.externals.clear();
    this.dropScaledExternals();
  }

  /** Full-resolution pixels per "px" unit: 1 unless the graph sets referenceSize. */
  private referenceScale(): number {
    const reference = this.spec.referenceSize;
    if (!reference) return 1;
    const e = this.externals.get('source') ?? [...this.externals.values()][0];
    if (!e) return 1;
    return Math.max(e.image.width, e.image.height) / reference;
  }

  /** `pxScale`: render pixels per "px" unit (render scale times the reference scale). */
  private execute(node: CompiledNode, inputs: Record<string, GpuImage | undefined>, pxScale: number, wanted: (output: string) => boolean, notices: Notice[]): Record<string, GpuImage> {
    const outputs: Record<string, GpuImage> = {};
    if (!node.enabled) {
      // Bypass: every output is the first connected input, unchanged.
      const first = Object.values(inputs).find((i) => i !== undefined);
      if (!first) throw new Error(`node "${node.id}" is bypassed but has no input to pass through`);
      for (const o of node.pass.outputs) outputs[o.name] = first.retain();
      return outputs;
    }
    const temps = new Set<GpuImage>();
    const renderer = this.renderer;
    const ctx: PassContext = {
      scale: pxScale,
      caps: renderer.caps,
      draw(opts) {
        const img = renderer.draw(opts);
        temps.add(img);
        return img;
      },
      release(img) {
        if (temps.delete(img)) img.release();
      },
      wants: wanted,
      warn: (message) => console.warn(`loupe: node "${node.id}": ${message}`),
      notice(image, describe) {
        notices.push({ image: image.retain(), describe });
      },
    };
    let result: Record<string, GpuImage>;
    try {
      result = node.pass.run(ctx, inputs, scaleSpatial(node.pass.params, node.params as ParamValues, pxScale));
    } catch (e) {
      for (const t of temps) t.release();
      // A failed run leaves nothing to say: its notices go back to the pool too.
      for (const n of notices.splice(0)) n.image.release();
      if (e instanceof Error) e.message = `node "${node.id}" (${node.pass.type}): ${e.message}`;
      throw e;
    }
    for (const o of node.pass.outputs) {
      const img = result[o.name];
      if (!img && !wanted(o.name)) continue;
      if (!img) {
        for (const t of temps) t.release();
        for (const n of notices.splice(0)) n.image.release();
        throw new Error(`node "${node.id}" (${node.pass.type}) did not produce its output "${o.name}"`);
      }
      // An output the pass drew is handed over; an input passed through gets a new reference.
      if (temps.has(img)) temps.delete(img);
      else img.retain();
      outputs[o.name] = img;
    }
    for (const t of temps) t.release();
    return outputs;
  }

  private external(name: string, scale: number): GpuImage {
    const e = this.externals.get(name)!;
    if (scale === 1) return e.image;
    const key = `${e.version}@${scale}`;
    const hit = this.scaledExternals.get(name);
    if (hit && hit.key === key) return hit.image;
    hit?.image.release();
    const image = resizeImage(this.renderer, e.image, Math.max(1, Math.round(e.image.width * scale)), Math.max(1, Math.round(e.image.height * scale)));
    this.scaledExternals.set(name, { key, image });
    return image;
  }

  /**
   * Batch mode hands the external image itself to the run, so it returns to
   * the pool after its last reader instead of staying alive through the
   * whole graph. The next run needs a new setExternal().
   */
  private takeExternal(name: string, scale: number): GpuImage {
    const e = this.externals.get(name)!;
    this.externals.delete(name);
    if (scale === 1) return e.image;
    const image = resizeImage(this.renderer, e.image, Math.max(1, Math.round(e.image.width * scale)), Math.max(1, Math.round(e.image.height * scale)));
    e.image.release();
    return image;
  }

  private dropScaledExternals(): void {
    for (const s of this.scaledExternals.values()) s.image.release();
    this.scaledExternals.clear();
  }

  private compile(outputs?: string[]): CompiledGraph {
    const key = outputs ? outputs.join('\u0000') : '';
    let g = this.compiled.get(key);
    if (!g) {
      g = compileGraph(this.spec, this.registry, outputs);
      this.compiled.set(key, g);
    }
    return g;
  }

  private node(id: string) {
    const n = this.spec.nodes.find((x) => x.id === id);
    if (!n) throw new GraphValidationError([{ node: id, message: 'no such node in this graph' }]);
    return n;
  }
}

/** 53-bit FNV-1a style string hash: signatures stay short however deep the graph. */
function hash(s: string): string {
  let h1 = 0x811c9dc5,
    h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 2246822507);
  }
  return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36);
}
