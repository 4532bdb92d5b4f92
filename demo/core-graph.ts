import type { GraphSpec } from '../src/graph/types.js';

/**
 * The graph offered when no preset applies: every core pass once, as a soft
 * glow (tone -> blur -> screen blend over the toned image).
 */
export const CORE_GRAPH: GraphSpec = {
  version: 1,
  name: 'Core passes',
  description: 'Exposure and saturation, then a soft glow: a wide blur screened over the toned image.',
  nodes: [
    { id: 'tone', pass: 'color.convert', params: { exposure: 0, saturation: 1 }, inputs: { image: '$source' } },
    { id: 'soften', pass: 'blur.gaussian', params: { sigma: 12 }, inputs: { image: 'tone' } },
    { id: 'glow', pass: 'math.blend', params: { mode: 'screen', weightA: 1, weightB: 0.25, opacity: 1 }, inputs: { a: 'tone', b: 'soften' } },
  ],
  outputs: { result: 'glow' },
};
