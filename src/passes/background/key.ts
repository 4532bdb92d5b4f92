import type { GpuImage } from '../../gpu/texture-pool.js';
import { smoothstep } from '../../cpu/reference.js';
import { gaussianBlur } from '../core/gaussian.js';
import { definePass } from '../types.js';
import { BACKDROP_PARAMS } from '../light/flatten.js';
import { estimateBackdrop, estimateNoise, localContrastStats, reduceToMean, weightedBlur } from '../light/illumination.js';
import { boxMean, guidedFilter, MAX_BOX_RADIUS, separableBox } from './guided.js';
import { downsampleTogether, resample, sumToPixel, type Drawer } from '../core/resize.js';
import { ISLAND_SHADERS, removeIslands } from './islands.js';

/**
 * Shadows must be smooth over this multiple of detailSigma, which keeps smooth
 * metal bands inside a piece out of the shadow; the shadow's depth is then
 * spread over the same width to reach the piece's edge.
 */
const SHADOW_WINDOW_FACTOR = 4;

/**
 * Shadow layer: darkening no deeper than this many times the RMS darkening
 * of the open backdrop (shadow_stats.frag) is the backdrop's own texture, not
 * a contact shadow (shadow_fill.frag). The open backdrop is where the matte
 * blurred over SHADOW_TEXTURE_DISTANCE shadow windows is below 0.01, so
 * that a cast shadow next to the piece does not count as texture.
 */
const SHADOW_OWN_DARKENING = 2;
const SHADOW_TEXTURE_DISTANCE = 2;

/**
 * The backdrop test looks at the image blurred by this sigma (texels), which
 * keeps 1 / (2 sqrt(pi) sigma) = 0.19 of the noise (key_soft.frag scales its
 * threshold by that) while a one-pixel chain keeps enough contrast.
 */
const BACKDROP_TEST_SIGMA = 1.5;

/**
 * Before that blur the certain-backdrop test clips a pixel's difference from
 * a near-black backdrop to this many times the backdrop threshold
 * (clip_to_backdrop.frag): enough for a one-pixel chain, which keeps 0.27 of
 * its contrast through the blur.
 */
const BACKDROP_TEST_CLIP = 5;

/**
 * One-pixel gaps (bridge_gaps.frag): both neighbours need at least `minSide`;
 * a pixel showing a coloured backdrop's hue is bridged past its soft guess
 * only between two neighbours of at least `insideSide` (inside the body).
 * Shared with the CPU reference (bridgeGapsRef).
 */
export const BRIDGE_GAPS = { minSide: 0.2, insideSide: 0.5 };

/**
 * Gaps along a thin strand (close_strands.frag): the matte on both sides is
 * at least `high`; two texels across the gap it is below `across`; a side
 * flanked across the line by `flank` or more on both sides is a strand
 * crossing the line, not ending on it. The longest gap (texels) is MAX_GAP
 * in the shader; CLOSE_STRANDS.maxGap keeps the CPU reference in step.
 */
export const CLOSE_STRANDS = { high: 0.3, across: 0.3, flank: 0.5, maxGap: 5 };

/**
 * An enclosed pixel (no certain backdrop within the edge band) stays in the
 * unknown band when it shows a coloured backdrop's hue (trimap.frag): its
 * colour difference from the backdrop scaled in brightness is below
 * `hueShare` of a colourless surface's, and that one exceeds `margin` times
 * the noise contrast. Shared with the CPU reference (trimapRef).
 */
export const ENCLOSED_HUE = { hueShare: 0.3, margin: 3 };

/**
 * Enclosed regions (enclosed_decide.frag): backdrop-like blocks that the
 * open backdrop does not reach are piece when their mean difference from the
 * backdrop estimate exceeds `contrast` times, and their texture `texture`
 * times, what open backdrop blocks show, and whose brightening the key
 * cannot see pixel by pixel (enclosedCeiling). The test runs on the pyramid level
 * whose longer side is at most `coarseSide` texels; each finer level carries
 * the decision `refineSteps` texels out towards the outline. Shared with the CPU
 * reference (enclosedDecideRef).
 */
/**
 * The whole-frame check (edge_cover.frag, keep_frame.frag): the frame's edge
 * is the band within `edgeShare` of the shorter side from the border; a shot
 * whose matte covers more than maxEdgeCover of it keeps the whole frame,
 * ramped in over `ramp` below that. A textured backdrop (RMS misfit to the
 * smooth clean backdrop over certain backdrop ramping over `texturedMisfit`)
 * keeps it from a far smaller share (`texturedCover`): on the 32 photos of
 * docs/passes-light-background.md the backdrops the key cut into islands
 * (velvet, wood, lace, pearls) misfit by 0.28-0.53 with 5-23 % of the edge
 * covered, while plain ones that key well misfit by at most 0.12, among them
 * a necklace run out of the frame on white (11 % of the edge, misfit 0.03).
 * Shared with the CPU reference (keepFrameRef).
 */
export const KEEP_FRAME = { edgeShare: 0.02, ramp: 0.1, texturedCover: [0.02, 0.05], texturedMisfit: [0.1, 0.2] } as const;

export const ENCLOSED_FILL = { contrast: 4, texture: 1.4, coarseSide: 64, refineSteps: 8 };

/**
 * Brightening (relative luminance) at which the key sees a region pixel by
 * pixel: its contrast on a white backdrop is about sqrt(3) times it.
 */
export const enclosedCeiling = (lowContrast: number) => lowContrast / Math.sqrt(3);

/**
 * Soft (defocused) edges, in multiples of the edge band: edges are found on
 * the image blurred by `fine` and their blur read from a further blur by
 * `extra` (shaders/background/soft_edges.frag); an edge blurred by more than
 * `soft` is wider than the band's guided filter and one-pixel bridge can
 * resolve. Where at least `share` of the edge maxima within `wide` (and at
 * least `minEdges` of them) are soft, the key uses a band `wide` times as
 * wide and bridges no gaps; where `share` of those soft ones are blurred by
 * more than `verySoft`, a band `wider` times as wide (a band of about three
 * times the blur holds the ramp). `minContrast` keeps noise from making
 * edges. Shared with the CPU reference (softEdgesRef).
 */
export const SOFT_EDGES = { fine: 1 / 3, extra: 2 / 3, soft: 0.47, verySoft: 0.94, minContrast: 0.03, share: 0.7, minEdges: 3, wide: 2, wider: 4 };

/** Radius (texels) of a band `factor` times the edge band of `bandRadius` texels (the soft-edge bands, the vote window). */
export const softBandRadius = (bandRadius: number, factor: number) => Math.min(MAX_BOX_RADIUS, factor * bandRadius);

/** r = 1 where most edges nearby are soft (defocused), b = 1 where very soft; from the image and its backdrop. */
function softEdgeRegion(d: Drawer, image: GpuImage, backdrop: GpuImage, edgeBand: number, bandRadius: number): GpuImage {
  const fineSigma = SOFT_EDGES.fine * edgeBand;
  const extraSigma = SOFT_EDGES.extra * edgeBand;
  const fine = gaussianBlur(d, image, fineSigma);
  const coarse = gaussianBlur(d, image, Math.hypot(fineSigma, extraSigma));
  const edges = d.draw({
    shader: 'background/soft_edges',
    inputs: { u_fine: fine, u_coarse: coarse, u_backdrop: backdrop },
    uniforms: {
      u_fineSigma: fineSigma, u_extraSigma: extraSigma, u_softSigma: SOFT_EDGES.soft * edgeBand, u_verySoftSigma: SOFT_EDGES.verySoft * edgeBand,
      u_minContrast: SOFT_EDGES.minContrast,
    },
  });
  d.release(fine);
  d.release(coarse);
  // A window as wide as the wide band keeps the vote local: a wider one mixed
  // the two sides of a thin defocused wire with other parts and left the
  // region patchy along it, which showed as steps in the matte.
  const radius = softBandRadius(bandRadius, SOFT_EDGES.wide);
  const vote = boxMean(d, edges, radius);
  d.release(edges);
  const region = d.draw({
    shader: 'background/soft_edge_region',
    inputs: { u_vote: vote },
    uniforms: { u_area: (2 * radius + 1) ** 2, u_minEdges: SOFT_EDGES.minEdges, u_softShare: SOFT_EDGES.share },
  });
  d.release(vote);
  return region;
}

/** The first blur-fusion step averages over this multiple of the colour radius (Forte & Pitie use 90 and 6 px). */
const FUSION_WIDE_FACTOR = 8;

/** The skirt is followed out from the backdrop this many detailSigma far. */
const SKIRT_REACH_FACTOR = 16;

/**
 * Skirt-like pixels (key.a >= 0) reached from the seeds (open backdrop) by
 * geodesic growth become backdrop; darkening beyond shadowMax only on a
 * path through evidence of a cast shadow (seed.g). The growth runs on the
 * pyramid level where detailSigma spans one texel or more (the fine edges it
 * stops at are about that wide), so its cost does not grow with the
 * resolution.
 */
function removeSkirt(d: Drawer, key: GpuImage, seed: GpuImage, backdrop: GpuImage, detailSigma: number, shadowMax: number): GpuImage {
  const levels = Math.max(0, Math.floor(Math.log2(detailSigma)));
  const [smallKey, smallSeed] = downsampleTogether(d, [key, seed], levels);
  const steps = Math.ceil((SKIRT_REACH_FACTOR * detailSigma) / 2 ** levels);
  let reached = smallSeed;
  for (let i = 0; i < steps; i++) {
    const next = d.draw({
      shader: 'background/skirt_grow',
      inputs: { u_reached: reached, u_key: smallKey, u_seed: smallSeed, u_backdrop: backdrop },
      uniforms: { u_shadowMax: shadowMax },
    });
    if (reached !== smallSeed) d.release(reached);
    reached = next;
  }
  if (smallKey !== key) d.release(smallKey);
  if (smallSeed !== seed) d.release(smallSeed);
  const out = d.draw({
    shader: 'background/skirt_apply',
    inputs: { u_key: key, u_reached: reached, u_backdrop: backdrop },
    uniforms: { u_shadowMax: shadowMax },
    width: key.width,
    height: key.height,
  });
  d.release(reached);
  return out;
}

/**
 * White metal on white: the inside of a piece whose outline the key sees but
 * whose face is within the noise of the backdrop is keyed certain backdrop.
 * On a coarse level, blocks of certain backdrop that a growth from the
 * image border through such blocks does not reach are enclosed (a face, or
 * a ring's hole); enclosed_decide keeps those that differ from the backdrop
 * as a region, and the finer levels carry them out to the outline through
 * certain backdrop. Returns the full-resolution mark (r = 1: piece).
 */
function enclosedPiece(d: Drawer, key: GpuImage, image: GpuImage, backdrop: GpuImage, low: number): GpuImage {
  const levels = Math.max(0, Math.ceil(Math.log2(Math.max(key.width, key.height) / ENCLOSED_FILL.coarseSide)));
  const pyramid = [d.draw({ shader: 'background/enclosed_pack', inputs: { u_key: key, u_image: image, u_backdrop: backdrop } })];
  for (let l = 0; l < levels; l++) {
    const below = pyramid[l];
    pyramid.push(d.draw({ shader: 'background/enclosed_reduce', inputs: { u_image: below }, width: Math.ceil(below.width / 2), height: Math.ceil(below.height / 2) }));
  }
  const coarse = pyramid[levels];
  const grow = (reached: GpuImage, free: GpuImage, border: number, allowed?: GpuImage) =>
    d.draw({
      shader: 'background/enclosed_grow',
      inputs: { u_reached: reached, u_free: free, u_allowed: allowed ?? free },
      uniforms: { u_border: border, u_useRegion: allowed ? 1 : 0 },
      width: free.width,
      height: free.height,
    });
  // A path to any texel of the open backdrop is at most width + height long
  // unless it winds around pieces; what it does not reach only meets the test.
  let reached = grow(coarse, coarse, 2);
  for (let i = 1; i < coarse.width + coarse.height; i++) {
    const next = grow(reached, coarse, 1);
    d.release(reached);
    reached = next;
  }
  const openPacked = d.draw({ shader: 'background/enclosed_open', inputs: { u_pack: coarse, u_reached: reached } });
  const open = reduceToMean(d, openPacked);
  d.release(openPacked);
  const region = d.draw({
    shader: 'background/enclosed_decide',
    inputs: { u_pack: coarse, u_reached: reached, u_open: open },
    uniforms: { u_contrast: ENCLOSED_FILL.contrast, u_texture: ENCLOSED_FILL.texture, u_ceiling: enclosedCeiling(low) },
  });
  d.release(open);
  let mark = region;
  for (let l = levels - 1; l >= 0; l--) {
    const level = pyramid[l];
    const allowed = d.draw({ shader: 'background/enclosed_allowed', inputs: { u_region: region, u_outside: reached }, width: level.width, height: level.height });
    for (let i = 0; i < ENCLOSED_FILL.refineSteps; i++) {
      const next = grow(mark, level, 0, allowed);
      if (mark !== region) d.release(mark);
      mark = next;
    }
    d.release(allowed);
  }
  if (mark !== region) d.release(region);
  d.release(reached);
  pyramid.forEach((img) => d.release(img));
  return mark;
}

/**
 * How far the whole-frame check goes to the whole frame (0..1) at a covered
 * share of the edge and a backdrop misfit (keep_frame.frag): as a lifestyle
 * shot, or as a textured backdrop the matte reaches the edge of.
 */
export function wholeFrameWeight(share: number, misfit: number, maxEdgeCover: number): { lifestyle: number; textured: number; whole: number } {
  const lifestyle = smoothstep(maxEdgeCover - KEEP_FRAME.ramp, maxEdgeCover, share);
  const textured = smoothstep(KEEP_FRAME.texturedCover[0], KEEP_FRAME.texturedCover[1], share) * smoothstep(KEEP_FRAME.texturedMisfit[0], KEEP_FRAME.texturedMisfit[1], misfit);
  return { lifestyle, textured, whole: Math.max(lifestyle, textured) };
}

/** Width in texels of the frame's edge band of the whole-frame check (KEEP_FRAME). */
export function keepFrameEdgeWidth(width: number, height: number): number {
  return Math.max(1, Math.round(KEEP_FRAME.edgeShare * Math.min(width, height)));
}

export const keyPass = definePass({
  type: 'background.key',
  title: 'Key background',
  category: 'background',
  description:
    'Soft alpha matte of the piece against its backdrop: the clean backdrop is estimated (or given), a difference key gives a trimap, a colour guided filter resolves the unknown band into a soft edge, and the foreground colour is decontaminated of the backdrop (blur fusion). Contact shadows go to a separate layer. A shot with no plain backdrop around the piece (its matte covers most of the frame\'s edge, or some of it on a textured backdrop) keeps the whole frame, with a note.',
  inputs: [
    { name: 'image', description: 'photo (linear, premultiplied, opaque)' },
    { name: 'hints', description: 'user strokes: red = definitely piece, green = definitely backdrop (keyed out; the clean backdrop is still estimated from what looks like backdrop, so clutter painted green does not set its colour)', optional: true },
    { name: 'backdrop', description: 'clean backdrop as lit (e.g. a plate shot without the piece); estimated when absent', optional: true },
  ],
  outputs: [
    { name: 'alpha', description: 'soft matte (r = g = b = alpha)' },
    { name: 'trimap', description: 'trimap: 0 backdrop, 0.5 unknown band, 1 piece' },
    { name: 'foreground', description: 'decontaminated piece colour, premultiplied by alpha' },
    { name: 'shadow', description: 'contact shadow layer: how much the backdrop is darkened (0..1)' },
    { name: 'backdrop', description: 'the clean backdrop the key compared against' },
    { name: 'softEdges', description: 'where edges were found soft (defocused): r = g = 1 soft (wide band, no gap bridging when softEdges is on), b = 1 very soft (wider band)' },
  ],
  params: {
    ...BACKDROP_PARAMS,
    lowContrast: {
      type: 'number', default: 0.04, min: 0.001, max: 1, unit: '', step: 0.001,
      description: 'relative difference from the backdrop at or below which a pixel is backdrop',
    },
    highContrast: {
      type: 'number', default: 0.3, min: 0.01, max: 2, unit: '', step: 0.005,
      description: 'relative difference from the backdrop at or above which a pixel is piece (lower it for white metal on white)',
    },
    edgeBand: {
      type: 'number', default: 3, min: 1, max: MAX_BOX_RADIUS, unit: 'px', step: 0.5,
      description: 'radius of the unknown band around every edge that the guided filter resolves',
    },
    refineRadius: {
      type: 'number', default: 4, min: 1, max: MAX_BOX_RADIUS, unit: 'px', step: 0.5,
      description: 'guided filter window radius',
    },
    refineEpsilon: {
      type: 'number', default: 1e-5, min: 1e-8, max: 0.1, unit: '', step: 1e-6,
      description: 'guided filter regularisation (linear intensity squared): larger gives softer, smoother edges',
    },
    refineSubsample: {
      type: 'integer', default: 1, min: 1, max: 4, unit: 'x',
      description: 'fast guided filter: window statistics at 1/n resolution (1, 2 or 4); 2 is 4x cheaper, 1 keeps the finest chains',
    },
    fillEnclosed: {
      type: 'boolean', default: false,
      description: 'key as piece the backdrop-like regions a piece encloses that are brighter and busier than the backdrop as a whole (the face of white metal on white); holes that show the backdrop stay. Off by default: veiling glare brightens a ring\'s hole the same way and it gets filled, so use it on glare-free white-on-white shots',
    },
    softEdges: {
      type: 'boolean', default: true,
      description: 'find soft (defocused) edges, blurred wider than the edge band holds, and key them with a band two or four times as wide (by how soft) and no gap bridging (which would raise their ramp to solid)',
    },
    closeGaps: { type: 'boolean', default: true, description: 'fill one-pixel gaps between two covered pixels (the backdrop-bright centre line of a white chain) and gaps of up to 5 pixels along a thin strand' },
    islandSize: {
      type: 'number', default: 40, min: 0, max: 400, unit: 'px', step: 1,
      description: 'widest island taken out of the matte: a part of it no wider and higher than this, farther than islandGap from any wider part (a speck of dust, lint or backdrop texture keyed as piece), goes with its soft rim, and so does faint matte (alpha under 0.5) farther than islandGap from what stays; parts marked red by hints stay, and so does a part at least a quarter as wide as the widest. 0 keeps every island',
    },
    islandGap: {
      type: 'number', default: 24, min: 0, max: 400, unit: 'px', step: 1,
      description: 'an island this close to a wider part of the matte (a loose bead, a chain\'s broken-off link) stays',
    },
    separateShadow: { type: 'boolean', default: true, description: 'treat smooth colourless darkening as shadow (its own layer) instead of matte' },
    shadowMax: {
      type: 'number', default: 0.45, min: 0.05, max: 0.95, unit: '', step: 0.01,
      description: 'deepest darkening (fraction of the backdrop light) still taken for a shadow',
    },
    skirtMax: {
      type: 'number', default: 0.9, min: 0.05, max: 0.95, unit: '', step: 0.01,
      description: 'deepest darkening (or brightening) of a shadow core or veil that the skirt removal follows in from the open backdrop to the piece',
    },
    shadowThreshold: {
      type: 'number', default: 0.02, min: 0, max: 0.5, unit: '', step: 0.005,
      description: 'darkening below this is backdrop noise, left out of the shadow layer',
    },
    maxEdgeCover: {
      type: 'number', default: 0.4, min: 0.1, max: 1, unit: '', step: 0.01,
      description: 'share of the frame\'s edge the piece may cover: above it the shot has no plain backdrop around the piece (a lifestyle shot on a hand or a table), and rather than cut the scene into patches the key keeps the whole frame (alpha 1, no shadow), ramped in over the 0.1 below it. On a textured backdrop (velvet, wood, lace: it departs from a smooth one by 10-20 % RMS or more) 2-5 % of the edge is enough, since what reaches the edge there is backdrop keyed as piece. 1 turns the check off; hints or a backdrop input turn it off too',
    },
    colorRadius: {
      type: 'number', default: 3, min: 0.5, max: 50, unit: 'px', step: 0.5,
      description: 'radius (Gaussian sigma) over which edge colour is borrowed from the solid piece during decontamination',
    },
  },
  shaders: [
    'light/luma_moments', 'light/noise_pack', 'light/noise_quantiles', 'light/noise_central', 'light/backdrop_mask', 'light/backdrop_reference', 'light/weight_pack', 'light/nc_moments', 'light/nc_solve',
    'background/edge_energy', 'background/texture_pack', 'background/soft_edges', 'background/soft_edge_region', 'background/clip_to_backdrop', 'background/key_soft', 'background/shadow_seed', 'background/relight', 'background/box_mean', 'background/band_stats', 'background/bridge_gaps', 'background/close_strands', 'background/trimap',
    'background/enclosed_pack', 'background/enclosed_reduce', 'background/enclosed_grow', 'background/enclosed_allowed', 'background/enclosed_open', 'background/enclosed_decide', 'background/guided_moments', 'background/guided_coeffs',
    'background/guided_apply', 'background/channel_mask', 'background/skirt_seed', 'background/skirt_grow', 'background/skirt_apply', 'background/decontaminate', 'background/shadow_pack', 'background/shadow_stats', 'background/shadow_fill', 'background/edge_cover', 'background/keep_frame', 'core/reduce_sum',
    'core/blur_gauss', 'core/downsample', 'core/resample', ...ISLAND_SHADERS,
  ],
  run(ctx, inputs, p) {
    const image = inputs.image!;
    const low = p.lowContrast as number;
    const high = p.highContrast as number;
    if (!(high > low)) throw new RangeError(`background.key: highContrast (${high}) must be above lowContrast (${low})`);
    const subsample = p.refineSubsample as number;
    if (subsample === 3) throw new RangeError('background.key: refineSubsample must be 1, 2 or 4');
    for (const [name, img] of Object.entries({ hints: inputs.hints, backdrop: inputs.backdrop }))
      if (img && (img.width !== image.width || img.height !== image.height))
        throw new RangeError(`background.key: ${name} is ${img.width}x${img.height}, the image ${image.width}x${image.height}`);

    const stats = localContrastStats(ctx, image, p.detailSigma as number);
    const noise = estimateNoise(ctx, stats);
    let backdrop: GpuImage;
    if (inputs.backdrop) {
      backdrop = resample(ctx, inputs.backdrop, image.width, image.height);
    } else {
      const est = estimateBackdrop(ctx, image, stats, {
        noise,
        sigma: p.illuminationSigma as number,
        textureTolerance: p.textureTolerance as number,
        colorTolerance: p.colorTolerance as number,
        iterations: p.iterations as number,
        hints: inputs.hints,
      });
      ctx.release(est.mask);
      backdrop = est.backdrop;
    }
    const hintInputs: Record<string, GpuImage> = inputs.hints ? { u_hints: inputs.hints } : {};
    const bandRadius = Math.max(1, Math.round(p.edgeBand as number));
    const shadowWindow = SHADOW_WINDOW_FACTOR * (p.detailSigma as number);
    let backdropTexture: GpuImage | undefined;
    const differenceKey = (img: GpuImage, separateShadow: boolean, edges?: GpuImage, skirt = false) => {
      const smoothed = gaussianBlur(ctx, img, BACKDROP_TEST_SIGMA);
      const clipped = ctx.draw({ shader: 'background/clip_to_backdrop', inputs: { u_image: img, u_backdrop: backdrop, u_noise: noise }, uniforms: { u_low: low, u_clip: BACKDROP_TEST_CLIP } });
      const smoothedClipped = gaussianBlur(ctx, clipped, BACKDROP_TEST_SIGMA);
      ctx.release(clipped);
      const key = ctx.draw({
        shader: 'background/key_soft',
        inputs: {
          u_image: img, u_smoothed: smoothed, u_smoothedClipped: smoothedClipped, u_noise: noise, u_backdrop: backdrop,
          ...(edges ? { u_edges: edges } : {}), ...(backdropTexture ? { u_texture: backdropTexture } : {}), ...hintInputs,
        },
        uniforms: {
          u_hasHints: inputs.hints ? 1 : 0, u_separateShadow: separateShadow ? 1 : 0, u_skirt: skirt ? 1 : 0, u_low: low, u_high: high,
          u_skirtMax: p.skirtMax as number, u_shadowMax: p.shadowMax as number, u_textureTolerance: p.textureTolerance as number,
        },
      });
      ctx.release(smoothed);
      ctx.release(smoothedClipped);
      return key;
    };

    // With shadow separation: find shadow-like darkening, carry its depth in
    // under the piece's edges and divide it out, then key the relit image.
    let keyed = image;
    let fineEdges: GpuImage | undefined;
    let wideEdges: GpuImage | undefined;
    let shadowSeed: GpuImage | undefined;
    if (p.separateShadow) {
      const edgeEnergy = ctx.draw({ shader: 'background/edge_energy', inputs: { u_image: image, u_stats: stats } });
      wideEdges = gaussianBlur(ctx, edgeEnergy, shadowWindow);
      fineEdges = gaussianBlur(ctx, edgeEnergy, p.detailSigma as number);
      ctx.release(edgeEnergy);
      // The open backdrop's own texture around each pixel (certain backdrop
      // of the plain key), over the skirt's reach: a shadow must be as
      // smooth as that, which on a woven cloth is above textureTolerance.
      const plainKey = differenceKey(image, false);
      const packed = ctx.draw({
        shader: 'background/texture_pack',
        inputs: { u_key: plainKey, u_edges: fineEdges, u_wide: wideEdges, u_noise: noise },
        uniforms: { u_textureTolerance: p.textureTolerance as number },
      });
      ctx.release(plainKey);
      backdropTexture = gaussianBlur(ctx, packed, SKIRT_REACH_FACTOR * (p.detailSigma as number));
      ctx.release(packed);
      const shadowKey = differenceKey(image, true, wideEdges);
      shadowSeed = ctx.draw({ shader: 'background/shadow_seed', inputs: { u_image: image, u_backdrop: backdrop, u_key: shadowKey } });
      const spread = gaussianBlur(ctx, shadowSeed, shadowWindow);
      const shadowBand = boxMean(ctx, shadowKey, bandRadius);
      ctx.release(shadowKey);
      keyed = ctx.draw({
        shader: 'background/relight',
        inputs: { u_image: image, u_shadow: spread, u_band: shadowBand, u_backdrop: backdrop },
        uniforms: { u_shadowMax: p.shadowMax as number, u_coreOnly: 0 },
      });
      ctx.release(spread);
      ctx.release(shadowBand);
    }
    ctx.release(stats);
    // The skirt (veil or shadow core next to the piece that the shadow test
    // left) is taken out of the key before the trimap.
    let key = differenceKey(keyed, false, fineEdges, !!fineEdges);
    if (fineEdges && wideEdges && shadowSeed) {
      ctx.release(fineEdges);
      const seed = ctx.draw({
        shader: 'background/skirt_seed',
        inputs: { u_key: key, u_edges: wideEdges, u_noise: noise, u_shadow: shadowSeed, u_texture: backdropTexture! },
        uniforms: { u_textureTolerance: p.textureTolerance as number },
      });
      ctx.release(wideEdges);
      ctx.release(shadowSeed);
      ctx.release(backdropTexture!);
      const unskirted = removeSkirt(ctx, key, seed, backdrop, p.detailSigma as number, p.shadowMax as number);
      ctx.release(seed);
      ctx.release(key);
      key = unskirted;
    }
    const band = separableBox(ctx, key, bandRadius, 'background/band_stats');
    const fill = p.fillEnclosed ? enclosedPiece(ctx, key, keyed, backdrop, low) : undefined;
    // The deep shadow core the skirt removal took out of the key is divided
    // out of the image too, so the guided filter and the decontamination see
    // backdrop next to the piece there instead of a dark rim.
    if (p.separateShadow) {
      const seed = ctx.draw({ shader: 'background/shadow_seed', inputs: { u_image: keyed, u_backdrop: backdrop, u_key: key } });
      const spread = gaussianBlur(ctx, seed, shadowWindow);
      ctx.release(seed);
      const relit = ctx.draw({
        shader: 'background/relight',
        inputs: { u_image: keyed, u_shadow: spread, u_band: band, u_backdrop: backdrop },
        uniforms: { u_shadowMax: p.skirtMax as number, u_coreOnly: 1 },
      });
      ctx.release(spread);
      if (keyed !== image) ctx.release(keyed);
      keyed = relit;
    }
    // Soft edges are found on the relit image: a contact shadow's soft rim is
    // not the piece's edge. Found for the output even when the key ignores them.
    const softFound = p.softEdges || ctx.wants('softEdges') ? softEdgeRegion(ctx, keyed, backdrop, p.edgeBand as number, bandRadius) : undefined;
    const soft = p.softEdges ? softFound : undefined;
    const wideBand = soft && separableBox(ctx, key, softBandRadius(bandRadius, SOFT_EDGES.wide), 'background/band_stats');
    const widerBand = soft && separableBox(ctx, key, softBandRadius(bandRadius, SOFT_EDGES.wider), 'background/band_stats');
    const softInputs: Record<string, GpuImage> = soft ? { u_soft: soft } : {};
    const trimapped = ctx.draw({
      shader: 'background/trimap',
      inputs: {
        u_key: key, u_band: band, u_noise: noise, u_image: keyed, u_backdrop: backdrop, ...hintInputs, ...softInputs,
        ...(wideBand && widerBand ? { u_wideBand: wideBand, u_widerBand: widerBand } : {}), ...(fill ? { u_fill: fill } : {}),
      },
      uniforms: {
        u_hasHints: inputs.hints ? 1 : 0, u_hasFill: fill ? 1 : 0, u_hasSoft: soft ? 1 : 0, u_high: high, u_low: low,
        u_hueShare: ENCLOSED_HUE.hueShare, u_hueMargin: ENCLOSED_HUE.margin,
      },
    });
    for (const t of [key, band, noise, wideBand, widerBand, fill]) if (t) ctx.release(t);
    const trimap = ctx.draw({ shader: 'background/channel_mask', inputs: { u_image: trimapped }, uniforms: { u_channel: 1 } });
    // The refined matte, colour and shadow cost most of the key at large
    // windows; a graph that reads only the trimap (the glare preset's veil
    // source) or the backdrop skips them.
    const keyOnly: Record<string, GpuImage> = { trimap, backdrop, ...(softFound ? { softEdges: softFound } : {}) };
    if (!['alpha', 'foreground', 'shadow'].some((o) => ctx.wants(o))) return keyOnly;

    const refined = guidedFilter(ctx, keyed, trimapped, {
      radius: p.refineRadius as number,
      eps: p.refineEpsilon as number,
      subsample,
      trimap: trimapped,
      clamp: true,
    });
    let alpha = refined;
    if (p.closeGaps) {
      const bridged = ctx.draw({
        shader: 'background/bridge_gaps',
        inputs: { u_alpha: refined, u_trimap: trimapped, ...softInputs },
        uniforms: { u_hasSoft: soft ? 1 : 0, u_minSide: BRIDGE_GAPS.minSide, u_insideSide: BRIDGE_GAPS.insideSide },
      });
      ctx.release(refined);
      alpha = ctx.draw({
        shader: 'background/close_strands',
        inputs: { u_alpha: bridged },
        uniforms: { u_high: CLOSE_STRANDS.high, u_across: CLOSE_STRANDS.across, u_flank: CLOSE_STRANDS.flank },
      });
      ctx.release(bridged);
    }

    // What the user gave (hints, a backdrop plate) settles what is piece; otherwise a
    // matte that covers most of the frame's edge found no plain backdrop around the piece.
    const maxEdgeCover = p.maxEdgeCover as number;
    const cover = maxEdgeCover < 1 && !inputs.hints && !inputs.backdrop
      ? sumToPixel(ctx, ctx.draw({ shader: 'background/edge_cover', inputs: { u_alpha: alpha, u_image: image, u_backdrop: backdrop, u_trimap: trimap }, uniforms: { u_edgeWidth: keepFrameEdgeWidth(image.width, image.height) } }))
      : undefined;
    // Islands go after the check, since specks of a textured backdrop at the frame's edge are what it
    // looks for; the shadow layer is measured around the matte with its islands, so a dark speck taken
    // out does not come back as a spot of shadow.
    const shadowMatte = alpha;
    if ((p.islandSize as number) > 0) {
      const { matte, islands } = removeIslands(ctx, shadowMatte, inputs.hints, p.islandSize as number, p.islandGap as number);
      alpha = matte;
      ctx.notice(islands, (sum) => {
        const count = Math.round(sum[0]);
        return count > 0
          ? `took ${count} small island${count === 1 ? '' : 's'} out of the matte (parts narrower than islandSize farther than islandGap from the piece: specks of dust, lint or backdrop); paint them red in the hints or set islandSize to 0 to keep them`
          : undefined;
      });
    }
    const keepFrame = (layer: GpuImage, keep: { image: GpuImage } | { value: number }) => {
      if (!cover) return layer;
      const kept = ctx.draw({
        shader: 'background/keep_frame',
        inputs: { u_layer: layer, u_cover: cover, ...('image' in keep ? { u_image: keep.image } : {}) },
        uniforms: {
          u_keepImage: 'image' in keep ? 1 : 0, u_keep: 'value' in keep ? [keep.value, keep.value, keep.value, 1] : [0, 0, 0, 0],
          u_maxCover: maxEdgeCover, u_ramp: KEEP_FRAME.ramp, u_texturedCover: [...KEEP_FRAME.texturedCover], u_texturedMisfit: [...KEEP_FRAME.texturedMisfit],
        },
      });
      ctx.release(layer);
      return kept;
    };

    const result: Record<string, GpuImage> = { trimap, backdrop, ...(softFound ? { softEdges: softFound } : {}) };
    if (ctx.wants('foreground')) {
      // Blur fusion, twice: a wide average gets colour into thin structures, a narrow one keeps it local.
      const colorRadius = p.colorRadius as number;
      const fuse = (previous: GpuImage, sigma: number, final: boolean) => {
        const estimate = weightedBlur(ctx, previous, alpha, sigma);
        const f = ctx.draw({
          shader: 'background/decontaminate',
          inputs: { u_image: keyed, u_original: image, u_alpha: alpha, u_backdrop: backdrop, u_estimate: estimate, u_trimap: trimapped },
          uniforms: { u_final: final ? 1 : 0 },
        });
        ctx.release(estimate);
        return f;
      };
      const wide = fuse(keyed, colorRadius * FUSION_WIDE_FACTOR, false);
      result.foreground = keepFrame(fuse(wide, colorRadius, true), { image });
      ctx.release(wide);
    }
    ctx.release(trimapped);
    if (keyed !== image) ctx.release(keyed);

    if (ctx.wants('shadow')) {
      const shadowPacked = ctx.draw({ shader: 'background/shadow_pack', inputs: { u_image: image, u_backdrop: backdrop, u_alpha: shadowMatte } });
      const shadowBlurred = gaussianBlur(ctx, shadowPacked, Math.max(1, p.edgeBand as number));
      ctx.release(shadowPacked);
      const near = gaussianBlur(ctx, shadowMatte, SHADOW_TEXTURE_DISTANCE * shadowWindow);
      const ownDarkening = sumToPixel(ctx, ctx.draw({ shader: 'background/shadow_stats', inputs: { u_packed: shadowBlurred, u_near: near } }));
      ctx.release(near);
      result.shadow = keepFrame(
        ctx.draw({
          shader: 'background/shadow_fill',
          inputs: { u_packed: shadowBlurred, u_stats: ownDarkening },
          uniforms: { u_threshold: p.shadowThreshold as number, u_ownFactor: SHADOW_OWN_DARKENING },
        }),
        { value: 0 },
      );
      ctx.release(shadowBlurred);
      ctx.release(ownDarkening);
    }
    if (shadowMatte !== alpha) ctx.release(shadowMatte);
    result.alpha = keepFrame(alpha, { value: 1 });
    if (cover) {
      ctx.notice(cover, (sums) => {
        const share = sums[0] / Math.max(sums[3], 1);
        const misfit = Math.sqrt(sums[1] / Math.max(sums[2], 1));
        const { lifestyle, whole } = wholeFrameWeight(share, misfit, maxEdgeCover);
        if (whole === 0) return undefined;
        const kept = whole < 1 ? `${Math.round(100 * whole)} % of the way to the whole frame` : 'the whole frame';
        const why = lifestyle >= whole
          ? `the piece covers ${Math.round(100 * share)} % of the frame's edge (maxEdgeCover ${maxEdgeCover}): no plain backdrop around it`
          : `the backdrop is textured (it departs from a smooth one by ${Math.round(100 * misfit)} % RMS) and the matte reaches ${Math.round(100 * share)} % of the frame's edge: patches of the backdrop were keyed as piece`;
        return `${why}, so the key kept ${kept}; add hints or set maxEdgeCover to 1 to key it anyway`;
      });
      ctx.release(cover);
    }
    return result;
  },
});
