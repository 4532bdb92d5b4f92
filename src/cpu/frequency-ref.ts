import { createImage, type CpuImage } from './image.js';
import { gaussianBlurRef, linearToSrgb } from './reference.js';

/**
 * Float64 references for the frequency family and the bilateral filter it
 * shares with glare flattening. Clamp-to-edge borders, like the GPU.
 */

/** sRGB-encoded Rec. 709 luminance clamped to 0..1: the bilateral's guide. */
export function bilateralGuideRef(r: number, g: number, b: number): number {
  return Math.min(1, Math.max(0, linearToSrgb(0.2126 * r + 0.7152 * g + 0.0722 * b)));
}

/** The range-level bilateral (Yang, Tan & Ahuja 2009) with exact Gaussian blurs; alpha is kept. */
export function bilateralLevelsRef(img: CpuImage, spatialSigma: number, rangeSigma: number): CpuImage {
  const count = Math.max(2, Math.ceil(1 / rangeSigma) + 1);
  const spacing = 1 / (count - 1);
  const n = img.width * img.height;
  const guide = new Float64Array(n);
  for (let p = 0; p < n; p++) guide[p] = bilateralGuideRef(img.data[4 * p], img.data[4 * p + 1], img.data[4 * p + 2]);
  const out = createImage(img.width, img.height);
  for (let k = 0; k < count; k++) {
    const level = k * spacing;
    const weighted = createImage(img.width, img.height);
    for (let p = 0; p < n; p++) {
      const w = Math.exp((-0.5 * (guide[p] - level) ** 2) / rangeSigma ** 2);
      for (let c = 0; c < 3; c++) weighted.data[4 * p + c] = img.data[4 * p + c] * w;
      weighted.data[4 * p + 3] = w;
    }
    const blurred = gaussianBlurRef(weighted, spatialSigma);
    for (let p = 0; p < n; p++) {
      const hat = Math.max(0, 1 - Math.abs(guide[p] - level) / spacing);
      if (hat === 0) continue;
      const norm = blurred.data[4 * p + 3];
      for (let c = 0; c < 3; c++) out.data[4 * p + c] += hat * (norm > 1e-12 ? blurred.data[4 * p + c] / norm : img.data[4 * p + c]);
    }
  }
  for (let p = 0; p < n; p++) out.data[4 * p + 3] = img.data[4 * p + 3];
  return out;
}

/**
 * The textbook bilateral, summed directly over a (2r+1)^2 window with the
 * same guide, Gaussian spatial kernel (radius ceil(3 sigma)) and range kernel.
 * Slow; it measures how closely the range-level form approximates it.
 */
export function bilateralBruteRef(img: CpuImage, spatialSigma: number, rangeSigma: number): CpuImage {
  const { width: w, height: h } = img;
  const r = Math.max(1, Math.ceil(3 * spatialSigma));
  const guide = new Float64Array(w * h);
  for (let p = 0; p < w * h; p++) guide[p] = bilateralGuideRef(img.data[4 * p], img.data[4 * p + 1], img.data[4 * p + 2]);
  const out = createImage(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      let sw = 0;
      const s = [0, 0, 0];
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          const q = Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx));
          const wt = Math.exp(-(dx * dx + dy * dy) / (2 * spatialSigma ** 2) - (guide[q] - guide[p]) ** 2 / (2 * rangeSigma ** 2));
          sw += wt;
          for (let c = 0; c < 3; c++) s[c] += wt * img.data[4 * q + c];
        }
      for (let c = 0; c < 3; c++) out.data[4 * p + c] = s[c] / sw;
      out.data[4 * p + 3] = img.data[4 * p + 3];
    }
  return out;
}

export function subtractRef(a: CpuImage, b: CpuImage): CpuImage {
  return { width: a.width, height: a.height, data: a.data.map((v, i) => v - b.data[i]) };
}

/** frequency.split: low = Gaussian or range-level bilateral, high = image - low. */
export function frequencySplitRef(img: CpuImage, method: 'gaussian' | 'edge-aware', radius: number, edgeTolerance: number): { low: CpuImage; high: CpuImage } {
  const low = method === 'edge-aware' ? bilateralLevelsRef(img, radius, edgeTolerance) : gaussianBlurRef(img, radius);
  return { low, high: subtractRef(img, low) };
}

/**
 * The smoothed layer's luminance on the original's chromaticity:
 * rgb * (max(L(smoothed), 0) + epsilon) / (max(L(rgb), 0) + epsilon), linear Rec. 709 luminance.
 */
export function toneTransferRef(img: CpuImage, smoothed: CpuImage, epsilon: number): CpuImage {
  const lum = (d: Float64Array, p: number) => 0.2126 * d[4 * p] + 0.7152 * d[4 * p + 1] + 0.0722 * d[4 * p + 2];
  const out = createImage(img.width, img.height);
  for (let p = 0; p < img.width * img.height; p++) {
    const gain = (Math.max(lum(smoothed.data, p), 0) + epsilon) / (Math.max(lum(img.data, p), 0) + epsilon);
    for (let c = 0; c < 3; c++) out.data[4 * p + c] = img.data[4 * p + c] * gain;
    out.data[4 * p + 3] = img.data[4 * p + 3];
  }
  return out;
}

/**
 * frequency.clean-low: the layer with its wide bilateral's luminance (chromaticity
 * kept), mixed in by amount (times an optional mask's red channel).
 */
export function cleanLowRef(low: CpuImage, amount: number, radius: number, tolerance: number, mask?: CpuImage, epsilon = 1e-3): CpuImage {
  const toned = toneTransferRef(low, bilateralLevelsRef(low, radius, tolerance), epsilon);
  return {
    width: low.width,
    height: low.height,
    data: low.data.map((v, i) => v + (toned.data[i] - v) * amount * (mask ? mask.data[i - (i % 4)] : 1)),
  };
}

export function recombineRef(low: CpuImage, high: CpuImage, highGain: number): CpuImage {
  return { width: low.width, height: low.height, data: low.data.map((v, i) => v + highGain * high.data[i]) };
}
