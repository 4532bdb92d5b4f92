import type { Page } from 'puppeteer';
import { decodeBase64 } from './chromium.js';

/** What the demo's canvas shows: 8-bit RGBA, row 0 at the top. */
export interface CanvasShot {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function canvasShot(page: Page): Promise<CanvasShot> {
  const c = (await page.evaluate(() => (window as any).loupeTest.canvasPixels())) as { width: number; height: number; base64: string };
  return { width: c.width, height: c.height, data: decodeBase64<Uint8Array>(c.base64, 'uint8') };
}

export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Where a w x h image lands on the canvas at fit zoom (centred), shrunk by `inset` of its size on each side. */
export function fittedImageRegion(shot: CanvasShot, w: number, h: number, inset = 0.15): Region {
  const zoom = Math.min(shot.width / w, shot.height / h);
  const [dw, dh] = [w * zoom, h * zoom];
  const [ox, oy] = [(shot.width - dw) / 2, (shot.height - dh) / 2];
  return { x0: Math.ceil(ox + inset * dw), y0: Math.ceil(oy + inset * dh), x1: Math.floor(ox + (1 - inset) * dw), y1: Math.floor(oy + (1 - inset) * dh) };
}

function eachPixel(shot: CanvasShot, r: Region, f: (i: number, x: number, y: number) => void): void {
  for (let y = r.y0; y < r.y1; y++) for (let x = r.x0; x < r.x1; x++) f((y * shot.width + x) * 4, x, y);
}

export function meanLuma(shot: CanvasShot, r: Region): number {
  let sum = 0;
  let n = 0;
  eachPixel(shot, r, (i) => {
    sum += 0.2126 * shot.data[i] + 0.7152 * shot.data[i + 1] + 0.0722 * shot.data[i + 2];
    n++;
  });
  return sum / n;
}

/** Mean of max(r,g,b) - min(r,g,b): 0 for a grey picture. */
export function meanChroma(shot: CanvasShot, r: Region): number {
  let sum = 0;
  let n = 0;
  eachPixel(shot, r, (i) => {
    const [a, b, c] = [shot.data[i], shot.data[i + 1], shot.data[i + 2]];
    sum += Math.max(a, b, c) - Math.min(a, b, c);
    n++;
  });
  return sum / n;
}

/** Mean absolute horizontal gradient of the green channel: drops when the picture is blurred. */
export function meanGradient(shot: CanvasShot, r: Region): number {
  let sum = 0;
  let n = 0;
  eachPixel(shot, { ...r, x1: r.x1 - 1 }, (i) => {
    sum += Math.abs(shot.data[i + 5] - shot.data[i + 1]);
    n++;
  });
  return sum / n;
}

export function maxDifference(a: CanvasShot, b: CanvasShot): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}
