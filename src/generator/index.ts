import type { CpuImage } from '../cpu/image.js';
import type { Engine } from '../engine/engine.js';
import type { GpuImage } from '../gpu/texture-pool.js';
import { applyDefects, DEFAULT_DEFECTS, IMAGE_DEFECTS, luminanceOf, MASK_PACKING, planDefects, type AppliedDefects, type PlacementGuide } from './defects.js';
import { planScene, type Tile } from './scene.js';
import { DEFECT_KINDS, type Background, type DefectKind, type Shot, type ShotOptions, type Subject } from './types.js';

export { DEFAULT_DEFECTS } from './defects.js';
export * from './types.js';

const SUBJECTS: readonly Subject[] = ['ring', 'pendant', 'chain', 'set'];
const BACKGROUNDS: readonly Background[] = ['white', 'coloured', 'textured', 'cluttered'];
const WORKING = { transfer: 'linear', alpha: 'premultiplied' } as const;

/** Paper colours (linear RGB) for the coloured and textured backdrops, picked by the seed. */
const PAPERS: readonly [number, number, number][] = [
  [0.35, 0.5, 0.62], // pale blue
  [0.62, 0.42, 0.42], // dusty pink
  [0.42, 0.52, 0.4], // sage
  [0.6, 0.55, 0.45], // sand
];

function resolveDefects(defects: ShotOptions['defects']): Record<DefectKind, boolean> {
  const out = { ...DEFAULT_DEFECTS };
  for (const [k, v] of Object.entries(defects ?? {})) {
    if (!DEFECT_KINDS.includes(k as DefectKind)) throw new Error(`unknown defect "${k}" (known: ${DEFECT_KINDS.join(', ')})`);
    if (typeof v !== 'boolean') throw new Error(`defect "${k}" must be true or false, got ${String(v)}`);
    out[k as DefectKind] = v;
  }
  return out;
}

function checkSeed(seed: unknown): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${String(seed)}`);
}

function download(engine: Engine, img: GpuImage): CpuImage {
  const px = engine.download(img, WORKING, 'float32');
  return { width: px.width, height: px.height, data: Float64Array.from(px.data) };
}

/** A grey mask image (r = g = b = value, a = 1) from one channel of an RGBA image. */
function channelMask(img: CpuImage, channel: number, transform: (v: number, i: number) => number = (v) => v): CpuImage {
  const data = new Float64Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    const v = transform(img.data[4 * i + channel], i);
    data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = v;
    data[4 * i + 3] = 1;
  }
  return { width: img.width, height: img.height, data };
}

function emptyMask(width: number, height: number): CpuImage {
  const data = new Float64Array(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 1;
  return { width, height, data };
}

/** One channel of an RGBA image as a plain array (for placement). */
function channel(img: CpuImage, c: number): Float32Array {
  const out = new Float32Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[4 * i + c];
  return out;
}

/** Unpacks the defect masks (shadow: empty; generateShot fills it) and downloads raw with the given alpha. */
function collectDefects(engine: Engine, applied: AppliedDefects, alpha: (i: number) => number): { raw: CpuImage; masks: Record<DefectKind, CpuImage> } {
  const raw = download(engine, applied.raw);
  for (let i = 0; i < raw.width * raw.height; i++) raw.data[4 * i + 3] = alpha(i);
  const masks = { shadow: emptyMask(raw.width, raw.height) } as Record<DefectKind, CpuImage>;
  MASK_PACKING.forEach((kinds, p) => {
    const packed = download(engine, applied.packedMasks[p]);
    kinds.forEach((kind, c) => (masks[kind] = channelMask(packed, c)));
  });
  return { raw, masks };
}

/**
 * Renders a raw jewelry product shot and its ground truth with the engine's
 * own GPU: the piece (ray-marched metal, analytic gems, a pixel-exact chain),
 * a backdrop, the clean composite, and the raw image with the enabled
 * defects and their masks. Deterministic in `seed`.
 */
export async function generateShot(engine: Engine, opts: ShotOptions): Promise<Shot> {
  checkSeed(opts.seed);
  const width = opts.width ?? 1024;
  const height = opts.height ?? 768;
  engine.checkSize(width, height);
  const subject = opts.subject ?? 'set';
  const background = opts.background ?? 'white';
  if (!SUBJECTS.includes(subject)) throw new Error(`unknown subject "${subject}" (known: ${SUBJECTS.join(', ')})`);
  if (!BACKGROUNDS.includes(background)) throw new Error(`unknown background "${background}" (known: ${BACKGROUNDS.join(', ')})`);
  const defects = resolveDefects(opts.defects);
  const r = engine.renderer;

  const { uniforms: scene, chainTile, ringTile, pendantTile } = planScene(subject, opts.seed, width, height);
  const live: GpuImage[] = [];
  const keep = (img: GpuImage) => (live.push(img), img);
  const tiles: Record<string, GpuImage> = {};
  try {
    // Each part is drawn only over its tile (llvmpipe pays for every pixel a
    // shader covers); assemble.frag puts the tiles together.
    const rects: Record<string, number[]> = {};
    const parts: [string, Tile | undefined, (masks: boolean) => { shader: string; uniforms?: Record<string, number> }][] = [
      ['chain', chainTile, (masks) => ({ shader: 'generator/chain', uniforms: { u_layer: masks ? 1 : 0 } })],
      ['ring', ringTile, (masks) => ({ shader: masks ? 'generator/ring_masks' : 'generator/ring' })],
      ['pendant', pendantTile, (masks) => ({ shader: masks ? 'generator/pendant_masks' : 'generator/pendant' })],
    ];
    for (const [name, tile, pass] of parts) {
      rects[`u_${name}Rect`] = tile ? [tile.x, tile.y, tile.width, tile.height] : [0, 0, 0, 0];
      if (!tile) continue;
      for (const masks of [false, true]) {
        const { shader, uniforms } = pass(masks);
        tiles[`u_${name}${masks ? 'Masks' : ''}`] = r.draw({ shader, width: tile.width, height: tile.height, uniforms: { ...scene, ...uniforms, u_tileOrigin: [tile.x, tile.y] } });
      }
    }
    const assemble = (layer: number) => keep(r.draw({ shader: 'generator/assemble', width, height, inputs: tiles, uniforms: { ...rects, u_layer: layer } }));
    const piece = assemble(0);
    const structure = assemble(1);
    for (const img of Object.values(tiles)) img.release();
    const backdrop = keep(
      r.draw({
        shader: 'generator/backdrop',
        width,
        height,
        uniforms: {
          u_kind: BACKGROUNDS.indexOf(background),
          u_color: background === 'textured' ? [0.55, 0.52, 0.47] : PAPERS[Math.abs(opts.seed) % PAPERS.length],
          u_seedOffset: scene.u_seedOffset,
          u_pixelScale: scene.u_pixelScale,
        },
      }),
    );
    const clean = keep(r.draw({ shader: 'generator/composite', inputs: { u_piece: piece, u_backdrop: backdrop, u_structure: structure }, uniforms: { u_shadowOn: defects.shadow ? 1 : 0 } }));

    const pieceCpu = download(engine, piece);
    const structureCpu = download(engine, structure);
    const cleanCpu = download(engine, clean);
    const guide: PlacementGuide = {
      width,
      height,
      luminance: luminanceOf(cleanCpu),
      alpha: channel(pieceCpu, 3),
      thin: channel(structureCpu, 0),
      gem: channel(structureCpu, 1),
    };
    const applied = applyDefects(r, clean, planDefects(opts.seed, guide), defects, piece);
    live.push(applied.raw, ...applied.packedMasks);
    const { raw, masks } = collectDefects(engine, applied, () => 1);
    // The contact shadow is part of the scene: its mask is how much it darkened the backdrop.
    masks.shadow = defects.shadow ? channelMask(structureCpu, 3, (s, i) => (1 - s) * (1 - pieceCpu.data[4 * i + 3])) : emptyMask(width, height);

    return {
      width,
      height,
      options: { seed: opts.seed, width, height, subject, background, defects },
      raw,
      clean: cleanCpu,
      alpha: channelMask(pieceCpu, 3),
      backdrop: download(engine, backdrop),
      masks: {
        ...masks,
        thin: channelMask(structureCpu, 0),
        gem: channelMask(structureCpu, 1),
        glints: channelMask(structureCpu, 2),
      },
    };
  } finally {
    for (const img of [...live, ...Object.values(tiles)]) if (img.alive) img.release();
  }
}

/**
 * The generator's defects on any clean image (a real photo becomes its own
 * ground truth). Without a matte, defects land anywhere in the frame. The
 * contact shadow needs the scene's geometry and is refused here.
 */
export async function addDefects(
  engine: Engine,
  image: CpuImage,
  opts: { seed: number; defects?: Partial<Record<DefectKind, boolean>> },
): Promise<{ raw: CpuImage; masks: Record<DefectKind, CpuImage> }> {
  checkSeed(opts.seed);
  if (opts.defects?.shadow) throw new Error('addDefects cannot add a contact shadow: it needs the scene geometry (use generateShot)');
  const defects = resolveDefects(opts.defects);
  const { width, height } = image;
  const clean = engine.upload({ width, height, data: Float32Array.from(image.data) }, WORKING);
  const live: GpuImage[] = [clean];
  try {
    const guide: PlacementGuide = { width, height, luminance: luminanceOf(image) };
    const applied = applyDefects(engine.renderer, clean, planDefects(opts.seed, guide), defects);
    live.push(applied.raw, ...applied.packedMasks);
    return collectDefects(engine, applied, (i) => image.data[4 * i + 3]);
  } finally {
    for (const img of live) img.release();
  }
}

/** Image defects applied by addDefects and generateShot, in order (shadow excluded). */
export { IMAGE_DEFECTS };
