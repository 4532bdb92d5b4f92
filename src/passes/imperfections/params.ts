import type { ParamSchemas } from '../schema.js';

/** Detection parameters, shared by imperfections.detect and imperfections.heal. */
export const DETECT_PARAMS = {
  sensitivity: {
    type: 'number', default: 0.5, min: 0, max: 1, unit: '', step: 0.01,
    description: 'how readily faint defects are taken: the contrast threshold is the lower of 20x (at 0) to 8x (at 1) the local mean thin-feature contrast of noise and texture and that mean plus 24 (at 0) to 8 (at 1) standard deviations, and at least 4/255 (at 0) to 1/255 (at 1)',
  },
  maxSize: {
    type: 'number', default: 6, min: 1, max: 48, unit: 'px', step: 0.5,
    description: 'widest speck or scratch that is removed; anything wider is left as detail. Values under 3 (e.g. a preview scaling 6 down) detect as 3: a smaller neighbourhood cannot tell a speck from texture',
  },
  scratchLength: {
    type: 'number', default: 40, min: 4, max: 400, unit: 'px', step: 1,
    description: 'longest scratch that is removed; thin lines longer than this (chains, engraving, facet lines) are kept',
  },
  protectDetail: {
    type: 'number', default: 0.5, min: 0, max: 1, unit: '', step: 0.01,
    description: 'guards real structure: a thin feature joined to a larger structure at least as bright (or dark) within 4 x protectDetail x maxSize/2 pixels is its corner or tip (facets, prongs) and stays; clipped glints, highlights whose light falls off around them (beads, wire) and soft dark shading (a defocused print) are kept. 0 = no guard',
  },
} as const satisfies ParamSchemas;

/** Fill parameters, shared by imperfections.fill and imperfections.heal. */
export const FILL_PARAMS = {
  reach: {
    type: 'number', default: 8, min: 1, max: 64, unit: 'px', step: 0.5,
    description: 'how far along an edge or grain the fill looks on each side of a hole to continue it; also the scale of the orientation estimate (sigma = reach / 2)',
  },
} as const satisfies ParamSchemas;
