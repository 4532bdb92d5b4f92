import type { GraphSpec, NodeSpec } from './types.js';
import { parseRef, GRAPH_FORMAT_VERSION } from './types.js';
import { GraphValidationError, type GraphIssue } from './errors.js';
import type { PassRegistry } from '../passes/registry.js';
import type { PassDefinition } from '../passes/types.js';
import { checkParam, defaults, type ParamValues } from '../passes/schema.js';

const ID = /^[A-Za-z_][\w-]*$/;

/** A resolved reference; `optional` marks an external written "$name?". */
export interface CompiledRef {
  kind: 'external' | 'node';
  name: string;
  output: string;
  optional: boolean;
}

export interface CompiledNode {
  id: string;
  spec: NodeSpec;
  pass: PassDefinition;
  /** Validated parameters with defaults filled in (full-resolution units). */
  params: ParamValues;
  /** Node inputs in the pass's declared order (optional ones may be absent). */
  inputs: Array<{ slot: string; ref: CompiledRef }>;
  enabled: boolean;
}

export interface CompiledGraph {
  spec: GraphSpec;
  /** Topological order, unused nodes culled. */
  order: CompiledNode[];
  nodes: Map<string, CompiledNode>;
  outputs: Map<string, CompiledRef>;
  /** External images the graph needs ("source", "background", ...); those it reads only where given ("$hints?") are not among them. */
  externals: Set<string>;
  /** How many inputs (and graph outputs) read each "node:output" or "$external". */
  consumers: Map<string, number>;
  /** Nodes present in the spec but not needed for any requested output. */
  culled: string[];
}

export function refKey(r: CompiledRef): string {
  return r.kind === 'external' ? `$${r.name}` : `${r.name}:${r.output}`;
}

/**
 * Validates a graph against the registry and compiles it: every problem is
 * collected with the node and field it concerns, then nodes are ordered
 * topologically and those no requested output needs are culled.
 */
export function compileGraph(spec: unknown, registry: PassRegistry, wantedOutputs?: string[]): CompiledGraph {
  const issues: GraphIssue[] = [];
  const fail = (): never => {
    throw new GraphValidationError(issues);
  };
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    issues.push({ message: 'a graph must be a JSON object with "nodes" and "outputs"' });
    fail();
  }
  const g = spec as GraphSpec;
  if (g.version !== GRAPH_FORMAT_VERSION)
    issues.push({ field: 'version', message: `expected ${GRAPH_FORMAT_VERSION}, got ${JSON.stringify(g.version)}` });
  if (g.referenceSize !== undefined && !(typeof g.referenceSize === 'number' && Number.isFinite(g.referenceSize) && g.referenceSize >= 16 && g.referenceSize <= 65536))
    issues.push({ field: 'referenceSize', message: `must be a number of pixels in [16, 65536], got ${JSON.stringify(g.referenceSize)}` });
  if (!Array.isArray(g.nodes)) issues.push({ field: 'nodes', message: 'must be an array of nodes' });
  if (typeof g.outputs !== 'object' || g.outputs === null || Array.isArray(g.outputs) || Object.keys(g.outputs).length === 0)
    issues.push({ field: 'outputs', message: 'must be an object naming at least one output, e.g. {"result": "nodeId"}' });
  if (issues.length) fail();

  const nodes = new Map<string, CompiledNode>();
  /** Ids of nodes already reported as broken: references to them add no second error. */
  const broken = new Set<string>();
  for (const [i, n] of g.nodes.entries()) {
    const id = typeof n?.id === 'string' ? n.id : undefined;
    const label = id ?? `#${i}`;
    if (!id || !ID.test(id)) {
      issues.push({ node: label, field: 'id', message: 'needs an id of letters, digits, "_" or "-", not starting with a digit' });
      continue;
    }
    if (nodes.has(id)) {
      issues.push({ node: id, field: 'id', message: 'duplicate node id' });
      continue;
    }
    const pass = registry.get(n.pass);
    if (!pass) {
      issues.push({ node: id, field: 'pass', message: `unknown pass type ${JSON.stringify(n.pass)}` });
      broken.add(id);
      continue;
    }
    const params = defaults(pass.params);
    const given = n.params ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) {
      issues.push({ node: id, field: 'params', message: 'must be an object of parameter values' });
    } else {
      for (const [k, v] of Object.entries(given)) {
        const schema = pass.params[k];
        if (!schema) {
          issues.push({ node: id, field: `params.${k}`, message: `unknown parameter for ${pass.type} (known: ${Object.keys(pass.params).join(', ') || 'none'})` });
          continue;
        }
        const why = checkParam(schema, v);
        if (why) issues.push({ node: id, field: `params.${k}`, message: why });
        else params[k] = structuredClone(v);
      }
    }
    const inputs: CompiledNode['inputs'] = [];
    const givenInputs = n.inputs ?? {};
    for (const slot of Object.keys(givenInputs)) {
      if (!pass.inputs.some((p) => p.name === slot))
        issues.push({ node: id, field: `inputs.${slot}`, message: `${pass.type} has no input "${slot}" (inputs: ${pass.inputs.map((p) => p.name).join(', ')})` });
    }
    for (const port of pass.inputs) {
      const ref = givenInputs[port.name];
      if (ref === undefined) {
        if (!port.optional) issues.push({ node: id, field: `inputs.${port.name}`, message: 'required input is not connected' });
        continue;
      }
      if (typeof ref !== 'string' || ref.length === 0) {
        issues.push({ node: id, field: `inputs.${port.name}`, message: 'must be a reference string like "$source", "nodeId" or "nodeId:output"' });
        continue;
      }
      const p = parseRef(ref);
      if (p.optional && !port.optional)
        issues.push({ node: id, field: `inputs.${port.name}`, message: `"${ref}" may be missing, but ${pass.type} needs its input "${port.name}": write "$${p.name}"` });
      inputs.push({ slot: port.name, ref: { kind: p.kind, name: p.name, output: p.output ?? '', optional: p.optional === true } });
    }
    if (n.enabled !== undefined && typeof n.enabled !== 'boolean')
      issues.push({ node: id, field: 'enabled', message: 'must be true or false' });
    nodes.set(id, { id, spec: n, pass, params, inputs, enabled: n.enabled !== false });
  }

  // Resolve references now that every node is known.
  const resolve = (ref: CompiledRef, node: string | undefined, field: string): boolean => {
    if (ref.kind === 'external') {
      if (!ID.test(ref.name)) {
        issues.push({ node, field, message: `bad external input name "$${ref.name}"` });
        return false;
      }
      return true;
    }
    const target = nodes.get(ref.name);
    if (!target && broken.has(ref.name)) return false;
    if (!target) {
      issues.push({ node, field, message: `refers to "${ref.name}", which is not a node of this graph` });
      return false;
    }
    if (ref.output === '') ref.output = target.pass.outputs[0].name;
    else if (!target.pass.outputs.some((o) => o.name === ref.output)) {
      issues.push({ node, field, message: `node "${ref.name}" (${target.pass.type}) has no output "${ref.output}" (outputs: ${target.pass.outputs.map((o) => o.name).join(', ')})` });
      return false;
    }
    return true;
  };
  for (const n of nodes.values()) for (const inp of n.inputs) resolve(inp.ref, n.id, `inputs.${inp.slot}`);

  const outputs = new Map<string, CompiledRef>();
  for (const [name, r] of Object.entries(g.outputs)) {
    if (typeof r !== 'string') {
      issues.push({ field: `outputs.${name}`, message: 'must be a reference string' });
      continue;
    }
    const p = parseRef(r);
    if (p.optional) {
      issues.push({ field: `outputs.${name}`, message: `a graph output must exist: "${r}" may be missing` });
      continue;
    }
    const ref = { kind: p.kind, name: p.name, output: p.output ?? '', optional: false };
    if (resolve(ref, undefined, `outputs.${name}`)) outputs.set(name, ref);
  }
  if (wantedOutputs) {
    for (const w of wantedOutputs) if (!outputs.has(w)) issues.push({ field: `outputs.${w}`, message: `requested output "${w}" is not declared by the graph` });
  }
  if (issues.length) fail();

  // Depth-first topological sort from the requested outputs: culls unused nodes, finds cycles.
  const order: CompiledNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      issues.push({ node: id, field: 'inputs', message: `cycle: ${cycle.join(' -> ')}` });
      throw new GraphValidationError(issues);
    }
    state.set(id, 'visiting');
    const n = nodes.get(id)!;
    for (const inp of n.inputs) if (inp.ref.kind === 'node') visit(inp.ref.name, [...path, id]);
    state.set(id, 'done');
    order.push(n);
  };
  const selected = wantedOutputs ?? [...outputs.keys()];
  for (const name of selected) {
    const r = outputs.get(name)!;
    if (r.kind === 'node') visit(r.name, []);
  }
  // Cycles among culled nodes are still errors: the file is wrong even if unused now.
  for (const id of nodes.keys()) if (!state.has(id)) visitForCycles(id, nodes, issues);

  const consumers = new Map<string, number>();
  const externals = new Set<string>();
  const count = (r: CompiledRef) => {
    consumers.set(refKey(r), (consumers.get(refKey(r)) ?? 0) + 1);
    if (r.kind === 'external' && !r.optional) externals.add(r.name);
  };
  for (const n of order) for (const inp of n.inputs) count(inp.ref);
  for (const name of selected) count(outputs.get(name)!);

  return {
    spec: g,
    order,
    nodes,
    outputs: new Map(selected.map((s) => [s, outputs.get(s)!])),
    externals,
    consumers,
    culled: [...nodes.keys()].filter((id) => state.get(id) !== 'done'),
  };
}

function visitForCycles(start: string, nodes: Map<string, CompiledNode>, issues: GraphIssue[]): void {
  const onPath: string[] = [];
  const seen = new Set<string>();
  const walk = (id: string): void => {
    const at = onPath.indexOf(id);
    if (at >= 0) {
      issues.push({ node: id, field: 'inputs', message: `cycle: ${[...onPath.slice(at), id].join(' -> ')}` });
      throw new GraphValidationError(issues);
    }
    if (seen.has(id)) return;
    seen.add(id);
    onPath.push(id);
    for (const inp of nodes.get(id)!.inputs) if (inp.ref.kind === 'node') walk(inp.ref.name);
    onPath.pop();
  };
  walk(start);
}
