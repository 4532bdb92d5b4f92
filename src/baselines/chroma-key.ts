import { createImage, type CpuImage } from '../cpu/image.js';

/**
 * A plain chroma / threshold key, the keying baseline: the backdrop colour is
 * the per-channel median of a border strip, and alpha rises linearly with the
 * Euclidean RGB distance to it from `low` (alpha 0) to `high` (alpha 1). No
 * spill suppression: the foreground is the raw colour. Display values
 * (sRGB-encoded, 0..1) in and out.
 */
export interface ChromaKeyParams {
  /** Distance at and below which a pixel is backdrop (alpha 0). */
  low: number;
  /** Distance at and above which a pixel is foreground (alpha 1). */
  high: number;
  /** Width in pixels of the border strip that samples the backdrop colour. */
  border: number;
}

export const DEFAULT_CHROMA_KEY: ChromaKeyParams = { low: 0.05, high: 0.2, border: 4 };

export interface ChromaKeyResult {
  /** Matte, alpha in r = g = b, a = 1. */
  alpha: CpuImage;
  /** Straight foreground colour with the matte in its alpha channel. */
  foreground: CpuImage;
  backdropColour: [number, number, number];
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function borderColour(display: CpuImage, border: number): [number, number, number] {
  const { width: w, height: h } = display;
  if (!(Number.isInteger(border) && border >= 1 && 2 * border < Math.min(w, h))) throw new RangeError(`border must be an integer in 1..${Math.ceil(Math.min(w, h) / 2) - 1} for a ${w}x${h} image, got ${border}`);
  const channels: number[][] = [[], [], []];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (x >= border && y >= border && x < w - border && y < h - border) continue;
      for (let c = 0; c < 3; c++) channels[c].push(display.data[(y * w + x) * 4 + c]);
    }
  return channels.map(median) as [number, number, number];
}

export function chromaKey(display: CpuImage, params: ChromaKeyParams = DEFAULT_CHROMA_KEY): ChromaKeyResult {
  if (!(params.low >= 0 && params.high > params.low)) throw new RangeError(`chroma key needs 0 <= low < high, got low ${params.low}, high ${params.high}`);
  const key = borderColour(display, params.border);
  const alphaAt = (i: number) => {
    const d = Math.hypot(display.data[i] - key[0], display.data[i + 1] - key[1], display.data[i + 2] - key[2]);
    return Math.min(1, Math.max(0, (d - params.low) / (params.high - params.low)));
  };
  const { width, height } = display;
  const alpha = createImage(width, height, (x, y) => {
    const a = alphaAt((y * width + x) * 4);
    return [a, a, a, 1];
  });
  const foreground = createImage(width, height, (x, y) => {
    const i = (y * width + x) * 4;
    return [display.data[i], display.data[i + 1], display.data[i + 2], alpha.data[i]];
  });
  return { alpha, foreground, backdropColour: key };
}
