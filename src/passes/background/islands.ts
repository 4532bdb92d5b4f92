import type { GpuImage } from '../../gpu/texture-pool.js';
import { blockMaxima, chain, sumToPixel, type Drawer } from '../core/resize.js';

/**
 * How the island search of a matte works at a given size (render pixels):
 * it runs on blocks of 2^level pixels, so that an island spans 4 to 8 blocks
 * whatever the resolution; parts of the matte closer than about a block
 * count as one. A part's width is that of its core pixels' box, so the
 * blocks do not round it up.
 */
export interface IslandPlan {
  level: number;
  /** Widest island (pixels): a part of the core whose box is at most this wide and high. */
  maxWidth: number;
  /** The same in blocks: how far the box growth must reach. */
  size: number;
  /** Farthest an island may lie from a wider part and stay (blocks, Chebyshev). */
  gap: number;
  /**
   * Steps of box growth: an island's blocks learn its whole box, and a part
   * at least four islands wide learns a box that wide somewhere (its middle),
   * which is all the quarter-of-the-widest rule needs to know of it.
   */
  growSteps: number;
  /** Steps that carry "kept" through an island: more than its path across. */
  keepSteps: number;
}

export function islandPlan(islandSize: number, islandGap: number): IslandPlan {
  const level = Math.max(0, Math.floor(Math.log2(islandSize / 4)));
  const size = islandSize / 2 ** level;
  return { level, maxWidth: islandSize, size, gap: Math.floor(islandGap / 2 ** level), growSteps: 2 * Math.ceil(size) + 1, keepSteps: 2 * Math.ceil(size) };
}

/**
 * Takes small islands out of a matte: parts of its core (alpha above 0.5) no
 * wider and higher than `islandSize`, nor than a quarter of the widest part,
 * that lie farther than `islandGap` from any wider part, with their soft
 * rims (specks of dust, lint or texture keyed as piece away from it), and
 * faint matte (no core) farther than `islandGap` from every part that stays.
 * Parts under a red hint stay. Returns a new matte (the input is kept) and
 * a 1x1 image holding the number of islands taken out.
 */
export function removeIslands(d: Drawer, alpha: GpuImage, hints: GpuImage | undefined, islandSize: number, islandGap: number): { matte: GpuImage; islands: GpuImage } {
  const plan = islandPlan(islandSize, islandGap);
  const pack = (box: boolean) => {
    const packed = d.draw({ shader: 'background/island_pack', inputs: { u_alpha: alpha, ...(hints ? { u_hints: hints } : {}) }, uniforms: { u_hasHints: hints ? 1 : 0, u_box: box ? 1 : 0 } });
    const pooled = blockMaxima(d, packed, plan.level);
    if (pooled !== packed) d.release(packed);
    return pooled;
  };
  const pinnedBlocks = pack(false);
  const grow = (first: boolean) => (c: GpuImage) => d.draw({ shader: 'background/island_grow', inputs: { u_image: c }, uniforms: { u_first: first ? 1 : 0 } });
  const pixelBoxes = pack(true);
  const boxes = chain(d, pixelBoxes, [grow(true), ...Array.from({ length: plan.growSteps }, () => grow(false))]);
  d.release(pixelBoxes);
  const widths = d.draw({ shader: 'background/island_extent', inputs: { u_boxes: boxes } });
  const widest = blockMaxima(d, widths, Math.ceil(Math.log2(Math.max(widths.width, widths.height))));
  if (widest !== widths) d.release(widths);
  const nearPass = (direction: [number, number], fromBoxes: boolean) => (c: GpuImage) =>
    d.draw({
      shader: 'background/island_near',
      inputs: { u_image: c, u_widest: widest },
      uniforms: { u_direction: direction, u_fromBoxes: fromBoxes ? 1 : 0, u_islandSize: plan.maxWidth },
      defines: { ISLAND_GAP: plan.gap },
    });
  const near = chain(d, boxes, [nearPass([1, 0], true), nearPass([0, 1], false)]);
  const keepStep = (first: boolean) => (c: GpuImage) =>
    d.draw({ shader: 'background/island_keep', inputs: { u_boxes: boxes, u_image: c, u_pack: pinnedBlocks }, uniforms: { u_first: first ? 1 : 0 } });
  const keep = chain(d, near, [keepStep(true), ...Array.from({ length: plan.keepSteps }, () => keepStep(false))]);
  const nearKept = chain(d, keep, [nearPass([1, 0], false), nearPass([0, 1], false)]);
  const out = d.draw({
    shader: 'background/island_apply',
    inputs: { u_alpha: alpha, u_boxes: boxes, u_keep: keep, u_nearKept: nearKept, u_widest: widest },
    uniforms: { u_block: 2 ** plan.level },
  });
  const islands = sumToPixel(d, d.draw({ shader: 'background/island_count', inputs: { u_boxes: boxes, u_keep: keep } }));
  for (const t of [pinnedBlocks, boxes, widest, near, keep, nearKept]) d.release(t);
  return { matte: out, islands };
}

export const ISLAND_SHADERS = [
  'background/island_pack', 'background/island_grow', 'background/island_extent', 'background/island_near', 'background/island_keep', 'background/island_apply',
  'background/island_count', 'core/max_down', 'core/reduce_sum',
];
