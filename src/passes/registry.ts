import type { PassDefinition } from './types.js';

/** Pass types by name. The default registry (src/passes/index.ts) holds every built-in pass. */
export class PassRegistry {
  private passes = new Map<string, PassDefinition>();

  constructor(defs: Iterable<PassDefinition> = []) {
    for (const d of defs) this.register(d);
  }

  register(def: PassDefinition): void {
    if (this.passes.has(def.type)) throw new Error(`pass type "${def.type}" is registered twice`);
    if (def.outputs.length === 0) throw new Error(`pass type "${def.type}" declares no outputs`);
    this.passes.set(def.type, def);
  }

  get(type: string): PassDefinition | undefined {
    return this.passes.get(type);
  }

  list(): PassDefinition[] {
    return [...this.passes.values()];
  }

  /** JSON-friendly description of every pass (CLI `loupe passes --json`, GET /passes, demo panels). */
  describe(): object[] {
    return this.list().map((p) => ({
      type: p.type,
      title: p.title,
      category: p.category,
      description: p.description,
      inputs: p.inputs,
      outputs: p.outputs,
      params: p.params,
      shaders: p.shaders,
    }));
  }
}
