/**
 * The render graph as data. A graph is plain JSON: what the demo exports is
 * exactly what `loupe retouch --graph` reads.
 *
 * References name where a node input comes from:
 *   "$source"        an external image given to the run ($source is the photo;
 *                    other names, e.g. "$background", are further user images)
 *   "$hints?"        an optional external image: when the run is given none,
 *                    the (optional) input is left unconnected
 *   "nodeId"         the main (first) output of another node
 *   "nodeId:output"  a named output of another node (e.g. "split:high")
 */

export type ParamValue = number | boolean | string | number[] | number[][];

export interface NodeSpec {
  id: string;
  /** Registered pass type, e.g. "blur.gaussian". */
  pass: string;
  /** Parameter values; anything left out takes the schema default. */
  params?: Record<string, ParamValue>;
  /** Input slot name -> reference. */
  inputs: Record<string, string>;
  /** false: the node is bypassed and passes its first input through. */
  enabled?: boolean;
}

export interface GraphSpec {
  /** Format version of this JSON. */
  version: 1;
  name?: string;
  description?: string;
  /**
   * Makes "px" parameters relative to the photo: they are pixels of an image
   * whose longer side is `referenceSize` pixels, and the runner scales them to
   * the actual source (a 6000 px photo gets radii 6000/referenceSize times
   * larger). Left out, "px" means pixels of the full-resolution source.
   */
  referenceSize?: number;
  nodes: NodeSpec[];
  /** Output name -> reference, e.g. { "result": "sharpen", "mask": "dust:mask" }. */
  outputs: Record<string, string>;
}

export const GRAPH_FORMAT_VERSION = 1;

export interface ParsedRef {
  kind: 'external' | 'node';
  /** External input name (without $) or node id. */
  name: string;
  /** Node output name; undefined means the node's first output. */
  output?: string;
  /** An external written "$name?": the run may leave it out. */
  optional?: boolean;
}

export function parseRef(ref: string): ParsedRef {
  if (ref.startsWith('$')) return ref.endsWith('?') ? { kind: 'external', name: ref.slice(1, -1), optional: true } : { kind: 'external', name: ref.slice(1) };
  const i = ref.indexOf(':');
  return i < 0 ? { kind: 'node', name: ref } : { kind: 'node', name: ref.slice(0, i), output: ref.slice(i + 1) };
}

/**
 * Names of the external images a graph reads ("source", "hints", ...), in
 * node inputs and graph outputs; with "required", not those it reads only
 * where given ("$hints?").
 */
export function externalNames(graph: GraphSpec, which: 'all' | 'required' = 'all'): Set<string> {
  const names = new Set<string>();
  for (const ref of [...graph.nodes.flatMap((n) => Object.values(n.inputs)), ...Object.values(graph.outputs)]) {
    if (!ref.startsWith('$')) continue;
    const p = parseRef(ref);
    if (which === 'all' || !p.optional) names.add(p.name);
  }
  return names;
}
