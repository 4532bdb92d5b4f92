import { createImage, type CpuImage } from './image.js';

/** Reference implementations of the core passes, float64, clamp-to-edge borders. */

export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
/** GLSL's smoothstep. */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}
export function linearToSrgb(c: number): number {
  c = Math.max(c, 0);
  return c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** Straight sRGB -> premultiplied linear (what Engine.upload produces). */
export function decodeToWorking(img: CpuImage): CpuImage {
  const out = createImage(img.width, img.height);
  for (let i = 0; i < img.data.length; i += 4) {
    const a = img.data[i + 3];
    for (let c = 0; c < 3; c++) out.data[i + c] = srgbToLinear(img.data[i + c]) * a;
    out.data[i + 3] = a;
  }
  return out;
}

function at(img: CpuImage, x: number, y: number, c: number): number {
  const cx = Math.min(img.width - 1, Math.max(0, x));
  const cy = Math.min(img.height - 1, Math.max(0, y));
  return img.data[(cy * img.width + cx) * 4 + c];
}

/** Normalised discrete Gaussian weights for offsets -radius..radius (index i + radius). */
export function gaussianKernel(sigma: number, radius = Math.max(1, Math.ceil(3 * sigma))): number[] {
  const k: number[] = [];
  for (let i = -radius; i <= radius; i++) k.push(Math.exp((-i * i) / (2 * sigma * sigma)));
  const total = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / total);
}

/** Exact separable Gaussian, radius ceil(3 sigma), normalised discrete kernel. */
export function gaussianBlurRef(img: CpuImage, sigma: number, radius = Math.max(1, Math.ceil(3 * sigma))): CpuImage {
  if (sigma < 0.05) return { ...img, data: img.data.slice() };
  const k = gaussianKernel(sigma, radius);
  const pass = (src: CpuImage, dx: number, dy: number) => {
    const out = createImage(src.width, src.height);
    for (let y = 0; y < src.height; y++)
      for (let x = 0; x < src.width; x++)
        for (let c = 0; c < 4; c++) {
          let s = 0;
          for (let i = -radius; i <= radius; i++) s += k[i + radius] * at(src, x + i * dx, y + i * dy, c);
          out.data[(y * src.width + x) * 4 + c] = s;
        }
    return out;
  };
  return pass(pass(img, 1, 0), 0, 1);
}

export type BlendMode = 'mix' | 'add' | 'subtract' | 'multiply' | 'divide' | 'screen' | 'min' | 'max';

export function blendRef(a: CpuImage, b: CpuImage, mode: BlendMode, weightA: number, weightB: number, opacity: number, mask?: CpuImage): CpuImage {
  const out = createImage(a.width, a.height);
  for (let i = 0; i < a.data.length; i++) {
    const va = a.data[i];
    const vb = b.data[i];
    const wa = va * weightA;
    const wb = vb * weightB;
    let r: number;
    switch (mode) {
      case 'mix': r = va + (vb - va) * weightB; break;
      case 'add': r = wa + wb; break;
      case 'subtract': r = wa - wb; break;
      case 'multiply': r = wa * wb; break;
      case 'divide': r = wa / Math.max(wb, 1e-6); break;
      case 'screen': r = wa + wb - wa * wb; break;
      case 'min': r = Math.min(wa, wb); break;
      case 'max': r = Math.max(wa, wb); break;
    }
    const m = opacity * (mask ? mask.data[i - (i % 4)] : 1);
    out.data[i] = va + (r - va) * m;
  }
  return out;
}

/** Exposure (EV) and saturation on linear RGB, alpha untouched. */
export function exposureSaturationRef(img: CpuImage, ev: number, saturation: number): CpuImage {
  const out = createImage(img.width, img.height);
  const g = 2 ** ev;
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, gr, b] = [img.data[i], img.data[i + 1], img.data[i + 2]];
    const y = 0.2126 * r + 0.7152 * gr + 0.0722 * b;
    out.data[i] = g * (y + (r - y) * saturation);
    out.data[i + 1] = g * (y + (gr - y) * saturation);
    out.data[i + 2] = g * (y + (b - y) * saturation);
    out.data[i + 3] = img.data[i + 3];
  }
  return out;
}
