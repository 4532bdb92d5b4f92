import { rng } from '../../../src/cpu/image.js';
import type { PixelBuffer } from '../../../src/engine/engine.js';

/**
 * An 8-bit sRGB straight-alpha test image with what exposes differences
 * between GPUs: smooth gradients, noise, hard edges, thin lines, a bright
 * disc, and a band of partial transparency.
 */
export function parityImage(width: number, height: number, seed = 7): PixelBuffer {
  const r = rng(seed);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const u = x / (width - 1);
      const v = y / (height - 1);
      const edge = x > width * 0.6 ? 0.9 : 0.15;
      const line = y % 11 === 5 ? 0.4 : 0;
      const disc = Math.hypot(x - width * 0.3, y - height * 0.4) < height * 0.15 ? 1 : 0;
      const rgb = [0.6 * u + 0.3 * edge + line, 0.5 * v + 0.25 * r() + disc * 0.6, 0.3 + 0.4 * u * v + 0.2 * r() - line];
      for (let c = 0; c < 3; c++) data[i + c] = Math.round(255 * Math.min(1, Math.max(0, rgb[c] + (disc ? 0.5 : 0))));
      data[i + 3] = y > height * 0.8 ? Math.round(255 * (0.35 + 0.6 * u)) : 255;
    }
  }
  return { width, height, data };
}

/**
 * 8-bit sRGB: bars of pale gold with dark gaps on a blown white backdrop,
 * lifted by a soft glow around the piece (the glare preset's blown-backdrop
 * rule acts on it).
 */
export function barsOnBlownWhite(width: number, height: number): PixelBuffer {
  const data = new Uint8Array(width * height * 4);
  const [x0, x1, y0, y1] = [0.3 * width, 0.7 * width, 0.3 * height, 0.7 * height];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
      const outside = Math.hypot(Math.max(x0 - x, 0, x - x1), Math.max(y0 - y, 0, y - y1));
      const glow = Math.round(70 * Math.exp(-outside / 6));
      const rgb = !inside ? [255, 255, 255] : Math.floor(x - x0) % 5 < 3 ? [235, 215, 150] : [12 + glow, 12 + glow, 14 + glow];
      for (let c = 0; c < 3; c++) data[i + c] = Math.min(255, rgb[c]);
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/** 8-bit sRGB: a ring of pale-gold wire 5 px thick on black cloth (the keyer on a near-black backdrop). */
export function wireOnBlack(width: number, height: number, seed = 11): PixelBuffer {
  const r = rng(seed);
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.abs(Math.hypot(x - width / 2, y - height / 2) - 0.3 * Math.min(width, height));
      const a = Math.min(1, Math.max(0, 3 - d));
      const rgb = [250, 240, 205].map((v) => a * v + (1 - a) * (6 + 6 * r()));
      data.set([...rgb.map(Math.round), 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** 8-bit sRGB: a dark disc on light grey paper with dark specks far from it (islands the keyer takes out) and one beside it. */
export function discWithSpecks(width: number, height: number): { image: PixelBuffer; far: number[][]; near: number[] } {
  const far = [[0.85 * width, 0.15 * height], [0.8 * width, 0.85 * height], [0.12 * width, 0.85 * height]].map((p) => p.map(Math.round));
  const near = [Math.round(0.3 * width), Math.round(0.5 * height - 0.25 * height - 6)];
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const disc = Math.hypot(x - 0.3 * width, y - 0.5 * height) < 0.25 * height;
      const speck = [...far, near].some(([sx, sy]) => Math.abs(x - sx) <= 1 && Math.abs(y - sy) <= 1);
      const v = disc ? 40 : speck ? 60 : 215;
      data.set([v, v, v + 4, 255], (y * width + x) * 4);
    }
  }
  return { image: { width, height, data }, far, near };
}
