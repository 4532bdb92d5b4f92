import { describe, expect, it } from 'vitest';
import { compileGraph } from '../src/graph/compile.js';
import { GraphValidationError, type GraphIssue } from '../src/graph/errors.js';
import { createDefaultRegistry } from '../src/passes/index.js';
import type { GraphSpec } from '../src/graph/types.js';

const registry = createDefaultRegistry();

function issuesOf(graph: unknown): GraphIssue[] {
  try {
    compileGraph(graph, registry);
  } catch (e) {
    expect(e).toBeInstanceOf(GraphValidationError);
    return (e as GraphValidationError).issues;
  }
  throw new Error('graph was accepted');
}

const chain = (): GraphSpec => ({
  version: 1,
  nodes: [
    { id: 'blur', pass: 'blur.gaussian', params: { sigma: 2 }, inputs: { image: '$source' } },
    { id: 'mix', pass: 'math.blend', params: { mode: 'mix', weightB: 0.5 }, inputs: { a: '$source', b: 'blur' } },
  ],
  outputs: { result: 'mix' },
});

describe('graph validation', () => {
  it('accepts a valid graph and orders it topologically', () => {
    const g = compileGraph(chain(), registry);
    expect(g.order.map((n) => n.id)).toEqual(['blur', 'mix']);
    expect(g.externals).toEqual(new Set(['source']));
    expect(g.order[0].params).toEqual({ sigma: 2 });
    expect(g.order[1].params.opacity).toBe(1); // default filled in
  });

  it('an optional external ("$name?") feeds only optional inputs and is kept apart from the required ones', () => {
    const sharpen = (mask: string): GraphSpec => ({
      version: 1,
      nodes: [{ id: 'sharpen', pass: 'detail.sharpen', inputs: { image: '$source', mask } }],
      outputs: { result: 'sharpen' },
    });
    const g = compileGraph(sharpen('$mask?'), registry);
    expect(g.externals).toEqual(new Set(['source']));
    expect(g.order[0].inputs.find((i) => i.slot === 'mask')!.ref).toEqual({ kind: 'external', name: 'mask', output: '', optional: true });
    // Read as required anywhere, it is required.
    const both = sharpen('$mask?');
    both.nodes.push({ id: 'again', pass: 'detail.sharpen', inputs: { image: '$source', mask: '$mask' } });
    both.outputs.other = 'again';
    expect(compileGraph(both, registry).externals).toEqual(new Set(['source', 'mask']));

    const required = sharpen('$mask?');
    required.nodes[0].inputs.image = '$source?';
    expect(issuesOf(required)).toEqual([
      { node: 'sharpen', field: 'inputs.image', message: '"$source?" may be missing, but detail.sharpen needs its input "image": write "$source"' },
    ]);
    const output = sharpen('$mask?');
    output.outputs.mask = '$mask?';
    expect(issuesOf(output)).toEqual([{ field: 'outputs.mask', message: 'a graph output must exist: "$mask?" may be missing' }]);
  });

  it('rejects an unknown pass, naming the node and field', () => {
    const g = chain();
    g.nodes[0].pass = 'blur.nonexistent';
    expect(issuesOf(g)).toEqual([{ node: 'blur', field: 'pass', message: 'unknown pass type "blur.nonexistent"' }]);
  });

  it('rejects a dangling input', () => {
    const g = chain();
    g.nodes[1].inputs.b = 'nowhere';
    const [issue] = issuesOf(g);
    expect(issue).toMatchObject({ node: 'mix', field: 'inputs.b' });
    expect(issue.message).toContain('"nowhere"');
  });

  it('rejects a missing required input', () => {
    const g = chain();
    delete (g.nodes[1].inputs as Record<string, string>).b;
    expect(issuesOf(g)).toEqual([{ node: 'mix', field: 'inputs.b', message: 'required input is not connected' }]);
  });

  it('rejects a reference to an output the node does not have', () => {
    const g = chain();
    g.nodes[1].inputs.b = 'blur:high';
    expect(issuesOf(g)[0]).toMatchObject({ node: 'mix', field: 'inputs.b' });
  });

  it('rejects cycles and shows the cycle', () => {
    const g = chain();
    g.nodes[0].inputs.image = 'mix';
    const [issue] = issuesOf(g);
    expect(issue.field).toBe('inputs');
    expect(issue.message).toMatch(/cycle: (blur -> mix -> blur|mix -> blur -> mix)/);
  });

  it('rejects a cycle even among nodes no output needs', () => {
    const g = chain();
    g.nodes.push(
      { id: 'x', pass: 'blur.gaussian', inputs: { image: 'y' } },
      { id: 'y', pass: 'blur.gaussian', inputs: { image: 'x' } },
    );
    expect(issuesOf(g)[0].message).toMatch(/cycle/);
  });

  it('rejects wrong parameter types, NaN and out-of-range values', () => {
    const g = chain();
    g.nodes[0].params = { sigma: 'large' as unknown as number };
    expect(issuesOf(g)).toEqual([{ node: 'blur', field: 'params.sigma', message: 'expected a number, got "large"' }]);
    g.nodes[0].params = { sigma: NaN };
    expect(issuesOf(g)).toEqual([{ node: 'blur', field: 'params.sigma', message: 'is NaN' }]);
    g.nodes[0].params = { sigma: -1 };
    expect(issuesOf(g)).toEqual([{ node: 'blur', field: 'params.sigma', message: '-1 is out of range [0, 500] px' }]);
    g.nodes[0].params = { sigma: 2, radius: 3 };
    expect(issuesOf(g)[0]).toMatchObject({ node: 'blur', field: 'params.radius' });
    g.nodes[0].params = {};
    g.nodes[1].params = { mode: 'overlay' };
    expect(issuesOf(g)[0]).toMatchObject({ node: 'mix', field: 'params.mode' });
  });

  it('reports every problem at once', () => {
    const g = chain();
    g.nodes[0].params = { sigma: Infinity };
    g.nodes[1].inputs.b = 'gone';
    expect(issuesOf(g).map((i) => `${i.node}.${i.field}`)).toEqual(['blur.params.sigma', 'mix.inputs.b']);
  });

  it('rejects duplicate ids, bad versions and missing outputs', () => {
    const g = chain();
    g.nodes[1].id = 'blur';
    expect(issuesOf(g)[0]).toMatchObject({ node: 'blur', field: 'id', message: 'duplicate node id' });
    expect(issuesOf({ ...chain(), version: 2 })[0]).toMatchObject({ field: 'version' });
    expect(issuesOf({ ...chain(), outputs: {} })[0]).toMatchObject({ field: 'outputs' });
    expect(issuesOf({ ...chain(), outputs: { result: 'nope' } })[0]).toMatchObject({ field: 'outputs.result' });
    expect(issuesOf('not a graph')[0].message).toMatch(/JSON object/);
    expect(issuesOf({ ...chain(), referenceSize: -5 })[0]).toMatchObject({ field: 'referenceSize' });
  });

  it('culls nodes no requested output needs', () => {
    const g = chain();
    g.nodes.push({ id: 'unused', pass: 'blur.gaussian', inputs: { image: '$source' } });
    const c = compileGraph(g, registry);
    expect(c.order.map((n) => n.id)).toEqual(['blur', 'mix']);
    expect(c.culled).toEqual(['unused']);
    const onlyBlur = compileGraph({ ...g, outputs: { result: 'mix', soft: 'blur' } }, registry, ['soft']);
    expect(onlyBlur.order.map((n) => n.id)).toEqual(['blur']);
  });

  it('round-trips through JSON', () => {
    const g = chain();
    expect(compileGraph(JSON.parse(JSON.stringify(g)), registry).order).toHaveLength(2);
  });
});
