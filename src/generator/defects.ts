import { rng } from '../cpu/image.js';
import type { Renderer, UniformValue } from '../gpu/renderer.js';
import type { GpuImage } from '../gpu/texture-pool.js';
import { gaussianBlur } from '../passes/core/gaussian.js';
import { resample } from '../passes/core/resize.js';
import type { DefectKind } from './types.js';
import { seedOffset } from './scene.js';

/** What a raw shot carries unless told otherwise: everything but the contact shadow. */
export const DEFAULT_DEFECTS: Readonly<Record<DefectKind, boolean>> = {
  lighting: true,
  glare: true,
  dust: true,
  scratches: true,
  smudges: true,
  noise: true,
  shadow: false,
};

/** Image defects in the order a camera adds them (shadow belongs to the scene, not to this chain). */
export const IMAGE_DEFECTS = ['smudges', 'scratches', 'dust', 'lighting', 'glare', 'noise'] as const;
export type ImageDefect = (typeof IMAGE_DEFECTS)[number];

/** Array sizes of the defect shaders (MAX_SPECKS, MAX_SCRATCHES, MAX_SMUDGES, MAX_HOTSPOTS). */
const MAX = { specks: 48, scratches: 16, smudges: 8, hotspots: 6 };

/**
 * Where defects may go, read from the clean image on the CPU. Without a matte
 * (a real photo) every defect is placed anywhere in the frame.
 */
export interface PlacementGuide {
  width: number;
  height: number;
  /** Rec. 709 luminance of the clean image, row 0 = top. */
  luminance: Float32Array;
  /** Piece alpha, chain coverage and gem coverage when the scene is known. */
  alpha?: Float32Array;
  thin?: Float32Array;
  gem?: Float32Array;
}

export function luminanceOf(img: { width: number; height: number; data: ArrayLike<number> }): Float32Array {
  const out = new Float32Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.2126 * img.data[4 * i] + 0.7152 * img.data[4 * i + 1] + 0.0722 * img.data[4 * i + 2];
  return out;
}

/** Per-kind uniforms, drawn from the seed; each kind has its own stream so switching one off leaves the others identical. */
export type DefectPlan = Record<ImageDefect, Record<string, UniformValue>> & { glareSigma: number };

type Where = (i: number) => boolean;

/**
 * A random pixel satisfying `where`: rejection sampling, then, for a surface
 * too small for it (a fine chain covers 0.3-0.6 % of a 512x384 shot, so 400
 * tries missed it one time in five and the speck landed anywhere), a draw from
 * the list of matching pixels; any pixel only when the shot has no such
 * surface (a ring shot has no chain). A caller that already holds that list
 * (`known`, non-empty) draws from it at once.
 */
function pickPixel(r: () => number, g: PlacementGuide, where: Where | undefined, known: number[] = []): [number, number] {
  if (known.length > 0) return pickFrom(r, g, known);
  for (let tries = 0; tries < (where ? 400 : 1); tries++) {
    const x = Math.floor(r() * g.width);
    const y = Math.floor(r() * g.height);
    if (!where || where(y * g.width + x)) return [x + r(), y + r()];
  }
  const matching = matchingPixels(g, where!);
  return matching.length > 0 ? pickFrom(r, g, matching) : [r() * g.width, r() * g.height];
}

function anyPixel(g: PlacementGuide, where: Where): boolean {
  for (let i = 0; i < g.width * g.height; i++) if (where(i)) return true;
  return false;
}

function matchingPixels(g: PlacementGuide, where: Where): number[] {
  const found: number[] = [];
  for (let i = 0; i < g.width * g.height; i++) if (where(i)) found.push(i);
  return found;
}

/** A random pixel of the list, at a random point inside it. */
function pickFrom(r: () => number, g: PlacementGuide, pixels: number[]): [number, number] {
  const i = pixels[Math.min(pixels.length - 1, Math.floor(r() * pixels.length))];
  return [(i % g.width) + r(), Math.floor(i / g.width) + r()];
}

function kindStream(seed: number, kind: ImageDefect): () => number {
  return rng((seed * 7919 + IMAGE_DEFECTS.indexOf(kind) * 104729 + 1) >>> 0);
}

export function planDefects(seed: number, g: PlacementGuide): DefectPlan {
  const { width, height } = g;
  // Defect sizes follow the image: rows / 768 for strokes and blotches.
  const rowScale = height / 768;
  // Dust is 1-6 px at 24 MP and never below 1 px (~1-3 px at 1 MP).
  const dustScale = Math.max(0.5, Math.sqrt((width * height) / 24e6));
  const known = g.alpha !== undefined;
  const onPiece: Where | undefined = known ? (i) => g.alpha![i] > 0.6 && g.thin![i] < 0.2 : undefined;
  const onMetal: Where | undefined = known ? (i) => g.alpha![i] > 0.95 && g.gem![i] < 0.1 && g.thin![i] < 0.1 : undefined;
  const onChain: Where | undefined = known ? (i) => g.thin![i] > 0.4 : undefined;
  const onGem: Where | undefined = known ? (i) => g.gem![i] > 0.6 : undefined;
  const onBackdrop: Where | undefined = known ? (i) => g.alpha![i] < 0.02 : undefined;

  // Dust: a few dozen specks, on the piece, on the chain and on the backdrop.
  const dust = (() => {
    const r = kindStream(seed, 'dust');
    const u: Record<string, number[]> = { x: [], y: [], radius: [], bright: [], strength: [] };
    const places: (Where | undefined)[] = [...Array(12).fill(onPiece), ...Array(8).fill(onChain), ...Array(16).fill(onBackdrop)];
    for (const where of places) {
      const [x, y] = pickPixel(r, g, where);
      const diameter = Math.max(1, (1 + 5 * r() ** 1.5) * dustScale);
      const lum = g.luminance[Math.min(height - 1, Math.floor(y)) * width + Math.min(width - 1, Math.floor(x))];
      u.x.push(x);
      u.y.push(y);
      u.radius.push(diameter / 2);
      // Dust shows as bright flecks on dark metal and dark fibres on light ground.
      u.bright.push(lum < 0.35 ? 1 : 0);
      u.strength.push(0.75 + 0.25 * r());
    }
    return { u_speckX: u.x, u_speckY: u.y, u_speckRadius: u.radius, u_speckBright: u.bright, u_speckStrength: u.strength, u_speckCount: u.x.length };
  })();

  // Scratches: short strokes, several across gem facets, most on metal.
  const scratches = (() => {
    const r = kindStream(seed, 'scratches');
    const u: Record<string, number[]> = { x0: [], y0: [], x1: [], y1: [], width: [], tone: [] };
    const places: (Where | undefined)[] = [...Array(3).fill(onGem), ...Array(6).fill(onMetal), undefined];
    for (const where of places) {
      const [x, y] = pickPixel(r, g, where);
      const length = (6 + 22 * r()) * Math.max(rowScale, 0.35);
      const angle = r() * Math.PI;
      const dx = (Math.cos(angle) * length) / 2;
      const dy = (Math.sin(angle) * length) / 2;
      u.x0.push(x - dx);
      u.y0.push(y - dy);
      u.x1.push(x + dx);
      u.y1.push(y + dy);
      u.width.push((0.6 + 0.5 * r()) * Math.max(1, Math.sqrt(rowScale)));
      u.tone.push((r() < 0.7 ? 1 : -1) * (0.5 + 0.35 * r()));
    }
    return {
      u_scratchX0: u.x0, u_scratchY0: u.y0, u_scratchX1: u.x1, u_scratchY1: u.y1,
      u_scratchWidth: u.width, u_scratchTone: u.tone, u_scratchCount: u.x0.length,
    };
  })();

  // Smudges: soft blotches, three on metal and two on the backdrop.
  const smudges = (() => {
    const r = kindStream(seed, 'smudges');
    const u: Record<string, number[]> = { x: [], y: [], rx: [], ry: [], angle: [], strength: [] };
    for (const where of [onMetal, onMetal, onMetal, onBackdrop, onBackdrop]) {
      const [x, y] = pickPixel(r, g, where);
      const rx = (0.02 + 0.05 * r()) * height;
      u.x.push(x);
      u.y.push(y);
      u.rx.push(rx);
      u.ry.push(rx * (0.5 + 0.5 * r()));
      u.angle.push(r() * Math.PI);
      u.strength.push(0.25 + 0.25 * r());
    }
    return {
      u_smudgeX: u.x, u_smudgeY: u.y, u_smudgeRadiusX: u.rx, u_smudgeRadiusY: u.ry,
      u_smudgeAngle: u.angle, u_smudgeStrength: u.strength, u_smudgeCount: u.x.length,
    };
  })();

  const lighting = (() => {
    const r = kindStream(seed, 'lighting');
    const angle = r() * 2 * Math.PI;
    return {
      u_gradientDir: [Math.cos(angle), Math.sin(angle)],
      u_gradientAmount: -(0.2 + 0.2 * r()),
      u_lightCentre: [(0.3 + 0.7 * r()) * (width / height) * 0.5, 0.3 + 0.4 * r()],
      u_vignette: 0.15 + 0.15 * r(),
    };
  })();

  // Glare: veil over the piece, and hotspots on its brightest metal (on the
  // chain when the piece is a chain alone: without that the hotspots landed
  // on the backdrop, as no pixel passed the metal test).
  const glare = (() => {
    const r = kindStream(seed, 'glare');
    const chainOnly = onMetal !== undefined && !anyPixel(g, onMetal);
    const bright: Where = (i) => g.luminance[i] > 0.5 && (!onMetal || (chainOnly ? onChain! : onMetal)(i));
    // A chain's bright pixels are too few for pickPixel's random tries: draw from the list.
    const chainSpots = chainOnly ? matchingPixels(g, bright) : [];
    const u: Record<string, number[]> = { x: [], y: [], radius: [], amount: [] };
    for (let k = 0; k < 3; k++) {
      const [x, y] = pickPixel(r, g, bright, chainSpots);
      u.x.push(x);
      u.y.push(y);
      u.radius.push((8 + 14 * r()) * Math.max(rowScale, 0.5));
      u.amount.push(0.9 + 0.8 * r());
    }
    return { u_veilAmount: 0.35 + 0.25 * r(), u_hotX: u.x, u_hotY: u.y, u_hotRadius: u.radius, u_hotAmount: u.amount, u_hotCount: u.x.length };
  })();

  const noise = (() => {
    const r = kindStream(seed, 'noise');
    const level = 0.7 + 0.6 * r();
    return { u_seedOffset: seedOffset(seed), u_readNoise: 0.004 * level, u_shotNoise: 0.0005 * level };
  })();

  for (const [name, n] of [['specks', dust.u_speckCount], ['scratches', scratches.u_scratchCount], ['smudges', smudges.u_smudgeCount], ['hotspots', glare.u_hotCount]] as const)
    if (n > MAX[name]) throw new Error(`internal: ${n} ${name} planned, the shader holds ${MAX[name]}`);
  return { dust, scratches, smudges, lighting, glare, noise, glareSigma: 0.035 * height };
}

export interface AppliedDefects {
  /** The defective image (rgb; its alpha channel is scratch space, treat the image as opaque). */
  raw: GpuImage;
  /** Masks packed four to an image, channel by channel as MASK_PACKING lists them. */
  packedMasks: GpuImage[];
}

/** Which defect's mask sits in which channel of AppliedDefects.packedMasks. */
export const MASK_PACKING: readonly (readonly ImageDefect[])[] = [IMAGE_DEFECTS.slice(0, 4), IMAGE_DEFECTS.slice(4)];

/**
 * Applies the enabled defects to a clean image on the GPU, in camera order.
 * Each stage is one draw that writes the changed image in rgb and its mask in
 * alpha; the masks are then gathered into packed images. `pieceAlpha` (alpha
 * in .a) confines the veiling glare to the piece when the matte is known.
 * The caller owns (and releases) everything returned; `clean` is untouched.
 */
export function applyDefects(
  renderer: Renderer,
  clean: GpuImage,
  plan: DefectPlan,
  enabled: Record<DefectKind, boolean>,
  pieceAlpha?: GpuImage,
): AppliedDefects {
  const stages = new Map<ImageDefect, GpuImage>();
  const packedMasks: GpuImage[] = [];
  // Gathers a group's masks as soon as its last stage exists, then frees those
  // stages (all but the current image), so few full-size images are alive at once.
  const pack = (kinds: readonly ImageDefect[]) => {
    const inputs: Record<string, GpuImage> = {};
    kinds.forEach((k, i) => {
      const stage = stages.get(k);
      if (stage) inputs[`u_stage${i}`] = stage;
    });
    packedMasks.push(renderer.draw({ shader: 'generator/defect_masks', inputs, width: clean.width, height: clean.height }));
    for (const k of kinds) {
      const stage = stages.get(k);
      if (stage && stage !== current) stage.release();
      stages.delete(k);
    }
  };
  let current = clean;
  try {
    for (const kind of IMAGE_DEFECTS) {
      if (enabled[kind]) {
        const inputs: Record<string, GpuImage> = { u_image: current };
        let veil: GpuImage | undefined;
        if (kind === 'glare') {
          const source = renderer.draw({
            shader: 'generator/glare_source',
            inputs: pieceAlpha ? { u_image: current, u_guide: pieceAlpha } : { u_image: current },
            uniforms: { u_hasGuide: pieceAlpha ? 1 : 0 },
          });
          veil = gaussianBlur(renderer, source, plan.glareSigma);
          source.release();
          inputs.u_veil = veil;
        }
        const next = renderer.draw({ shader: `generator/defect_${kind}`, inputs, uniforms: plan[kind] });
        veil?.release();
        // The previous image lives on only while its mask still waits to be packed.
        if (current !== clean && ![...stages.values()].includes(current)) current.release();
        current = next;
        stages.set(kind, current);
      }
      const group = MASK_PACKING.find((g) => g[g.length - 1] === kind);
      if (group) pack(group);
    }
    // Always hand back a new image, so the caller can release raw and clean alike.
    const raw = current === clean ? resample(renderer, clean, clean.width, clean.height) : current;
    return { raw, packedMasks };
  } catch (e) {
    for (const img of [...stages.values(), ...packedMasks]) if (img.alive) img.release();
    if (current !== clean && current.alive) current.release();
    throw e;
  }
}
