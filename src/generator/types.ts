import type { CpuImage } from '../cpu/image.js';

/** Defects the raw-shot generator can add, each independently switchable with its own mask. */
export type DefectKind = 'lighting' | 'glare' | 'dust' | 'scratches' | 'smudges' | 'noise' | 'shadow';
export const DEFECT_KINDS: readonly DefectKind[] = ['lighting', 'glare', 'dust', 'scratches', 'smudges', 'noise', 'shadow'];

export type Subject = 'ring' | 'pendant' | 'chain' | 'set';
export type Background = 'white' | 'coloured' | 'textured' | 'cluttered';

export interface ShotOptions {
  /** Same seed and options give the same pixels (within 1/255). */
  seed: number;
  width?: number;
  height?: number;
  /** "set": ring, pendant and fine chain together (the built-in sample). */
  subject?: Subject;
  background?: Background;
  /** Which defects the raw image carries; unspecified kinds use the generator's defaults. */
  defects?: Partial<Record<DefectKind, boolean>>;
}

/**
 * A generated raw product shot and its ground truth. Every image is linear-light
 * RGB; colour images are opaque (alpha 1); masks hold 0..1 in r = g = b with a = 1.
 */
export interface Shot {
  width: number;
  height: number;
  options: Required<Omit<ShotOptions, 'defects'>> & { defects: Record<DefectKind, boolean> };
  /** What the camera gave: clean + every enabled defect. */
  raw: CpuImage;
  /** The ideal catalogue image: same piece and backdrop, even light, no defects. */
  clean: CpuImage;
  /** True matte of the piece (transparent gems partially transparent, chains 1-3 px). */
  alpha: CpuImage;
  /** The clean backdrop alone, evenly lit (what keying should see behind the piece). */
  backdrop: CpuImage;
  /** Where each defect was added (all zero when that defect is off), plus structure masks. */
  masks: Record<DefectKind, CpuImage> & {
    /** Thin chain strands (for keying error on thin structures). */
    thin: CpuImage;
    /** Transparent / translucent gems. */
    gem: CpuImage;
    /** Small bright glints (sparkle) that glare flattening must keep. */
    glints: CpuImage;
  };
}
