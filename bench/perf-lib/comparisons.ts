/**
 * Which of our passes is compared with which peer operation, at matching
 * radii. Our side is looked up in the registry at run time (passes appear
 * while the project grows); an operation with no pass of ours is reported
 * as absent, not skipped silently.
 */
import type { ParamValue } from '../../src/graph/types.js';
import type { PassRegistry } from '../../src/passes/registry.js';
import type { PassDefinition } from '../../src/passes/types.js';
import type { Sharp } from 'sharp';
import type { OpenCv, Mat, SharpOp } from './peers.js';

export interface OursCandidate {
  type: string;
  params: Record<string, ParamValue>;
  /** Why these parameters (what they match on the peer side). */
  note: string;
}

export interface Comparison {
  operation: string;
  ours: OursCandidate[];
  sharp: { label: string; op: SharpOp }[];
  opencv: { label: string; channels: 3 | 4; op: (cv: OpenCv, src: Mat, dst: Mat) => void }[];
}

/** Gaussian blur sigma of issue 2's figure and the blur comparison. */
export const BLUR_SIGMA = 8;
/** OpenCV's bilateralFilter d=9 reaches 4 px; OpenCV itself derives radius round(1.5 sigmaSpace), so sigmaSpace 3 matches. */
const BILATERAL_D = 9;
const BILATERAL_SIGMA_SPACE = 3;
/** Our range sigmas are 0..1 luminance; 0.1 (glare.flatten's default) is 25.5 in OpenCV's 0..255 units. */
const BILATERAL_SIGMA_COLOR = 25.5;
const MEDIAN_SIZE = 5;

const requiredInputs = (p: PassDefinition) => p.inputs.filter((i) => !i.optional);

export function comparisons(registry: PassRegistry): Comparison[] {
  const passes = registry.list();
  const has = (type: string) => registry.get(type) !== undefined;

  // Bilateral: every glare pass (issue 4 builds it on a bilateral base) with its
  // spatial sigma set to match d=9, and the edge-aware frequency split, a plain bilateral low pass.
  const bilateral: OursCandidate[] = [];
  for (const p of passes.filter((x) => x.category === 'glare')) {
    const spatial = Object.entries(p.params).find(([name, s]) => /spatial/i.test(name) && 'unit' in s && s.unit === 'px');
    bilateral.push(
      spatial
        ? { type: p.type, params: { [spatial[0]]: BILATERAL_SIGMA_SPACE }, note: `${spatial[0]} ${BILATERAL_SIGMA_SPACE} px (radius ~${(BILATERAL_D - 1) / 2} px), other params default` }
        : { type: p.type, params: {}, note: 'defaults (no spatial sigma parameter found to match)' },
    );
  }
  const split = registry.get('frequency.split');
  if (split && split.params.method?.type === 'enum' && split.params.method.options.includes('edge-aware'))
    bilateral.push({ type: split.type, params: { method: 'edge-aware', radius: BILATERAL_SIGMA_SPACE }, note: `edge-aware (range-level bilateral), radius ${BILATERAL_SIGMA_SPACE} px` });

  // Dust: imperfection passes that need nothing but the image (detect, or detect + fill in one).
  const dust: OursCandidate[] = passes
    .filter((p) => p.category === 'imperfections' && requiredInputs(p).length === 1)
    .map((p) => ({ type: p.type, params: {}, note: 'defaults' }));

  const sharpenPasses = passes.filter((p) => /sharpen/i.test(p.type));
  const sharpenRadius = sharpenPasses
    .map((p) => p.params.radius)
    .find((s): s is Extract<typeof s, { default: number }> => s !== undefined && (s.type === 'number' || s.type === 'integer'))?.default;

  return [
    {
      operation: `Gaussian blur sigma ${BLUR_SIGMA}`,
      ours: has('blur.gaussian') ? [{ type: 'blur.gaussian', params: { sigma: BLUR_SIGMA }, note: `sigma ${BLUR_SIGMA} px` }] : [],
      sharp: [{ label: `sharp.blur(${BLUR_SIGMA})`, op: (s) => s.blur(BLUR_SIGMA) }],
      opencv: [
        {
          label: `cv.GaussianBlur ${6 * BLUR_SIGMA + 1}x${6 * BLUR_SIGMA + 1} sigma ${BLUR_SIGMA} (RGBA)`,
          channels: 4,
          op: (cv, src, dst) => cv.GaussianBlur(src, dst, new cv.Size(6 * BLUR_SIGMA + 1, 6 * BLUR_SIGMA + 1), BLUR_SIGMA, BLUR_SIGMA, cv.BORDER_REFLECT_101),
        },
      ],
    },
    {
      operation: 'bilateral',
      ours: bilateral,
      sharp: [],
      opencv: [
        {
          label: `cv.bilateralFilter d=${BILATERAL_D} sigmaColor ${BILATERAL_SIGMA_COLOR} sigmaSpace ${BILATERAL_SIGMA_SPACE} (RGB)`,
          channels: 3,
          op: (cv, src, dst) => cv.bilateralFilter(src, dst, BILATERAL_D, BILATERAL_SIGMA_COLOR, BILATERAL_SIGMA_SPACE, cv.BORDER_DEFAULT),
        },
      ],
    },
    {
      operation: 'median / dust',
      ours: dust,
      sharp: [{ label: `sharp.median(${MEDIAN_SIZE})`, op: (s) => s.median(MEDIAN_SIZE) }],
      opencv: [{ label: `cv.medianBlur ${MEDIAN_SIZE} (RGBA)`, channels: 4, op: (cv, src, dst) => cv.medianBlur(src, dst, MEDIAN_SIZE) }],
    },
    {
      operation: 'sharpen',
      ours: sharpenPasses.map((p) => ({ type: p.type, params: {}, note: 'defaults' })),
      sharp: [
        { label: 'sharp.sharpen() (fast mild 3x3)', op: (s) => s.sharpen() },
        ...(sharpenRadius !== undefined ? [{ label: `sharp.sharpen({ sigma: ${sharpenRadius} })`, op: (s: Sharp) => s.sharpen({ sigma: sharpenRadius }) }] : []),
      ],
      opencv: [],
    },
  ];
}
