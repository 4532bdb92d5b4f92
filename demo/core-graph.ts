import type { GraphSpec } from '../src/graph/types.js';

/**
 * The graph offered when no preset applies: every core pass once, as a soft
 * glow (tone -> blur -> a fraction of the blur added back in linear light,
 * which stays well-behaved for highlights above 1, unlike "screen").
 */
export const CORE_GRAPH: GraphSpec = {
  version: 1,
  name: 'Core passes',
  description: 'Exposure and saturation, then a soft glow: a fraction of a wide blur added to the toned image.',
  nodes: [
    { id: 'tone', pass: 'color.convert', params: { exposure: 0, saturation: 1 }, inputs: { image: '$source' } },
    { id: 'soften', pass: 'blur.gaussian', params: { sigma: 12 }, inputs: { image: 'tone' } },
    { id: 'glow', pass: 'math.blend', params: { mode: 'add', weightA: 1, weightB: 0.2, opacity: 1 }, inputs: { a: 'tone', b: 'soften' } },
  ],
  outputs: { result: 'glow' },
};
