/** Contact sheets: rows of equally wide thumbnails with a caption above each row (sharp composite). */
import sharp, { type OverlayOptions } from 'sharp';
import { createImage, type CpuImage } from '../../src/cpu/image.js';

/** A thumbnail, encoded right away so that a long benchmark holds kilobytes per tile, not full images. */
export interface Tile {
  png: Buffer;
  height: number;
}

export interface SheetRow {
  caption: string;
  tiles: Tile[];
}

const CAPTION_HEIGHT = 18;
const GAP = 4;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function textStrip(text: string, width: number, height: number, bold = false): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="4" y="${height - 5}" font-family="DejaVu Sans, sans-serif" font-size="12"${bold ? ' font-weight="bold"' : ''} fill="#111">${escapeXml(text)}</text></svg>`,
  );
}

/**
 * Scales display values (sRGB-encoded, 0..1) to the tile width, keeping the
 * aspect ratio. "nearest" keeps pixels square when a zoomed crop is enlarged.
 */
export async function makeTile(img: CpuImage, width: number, kernel: 'lanczos3' | 'nearest' = 'lanczos3'): Promise<Tile> {
  const height = Math.max(1, Math.round((img.height * width) / img.width));
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let p = 0; p < img.width * img.height; p++)
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.round(Math.min(1, Math.max(0, img.data[p * 4 + c])) * 255);
  const png = await sharp(rgb, { raw: { width: img.width, height: img.height, channels: 3 } }).resize(width, height, { fit: 'fill', kernel }).png().toBuffer();
  return { png, height };
}

export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function crop(img: CpuImage, w: Window): CpuImage {
  return createImage(w.width, w.height, (x, y) => Array.from(img.data.subarray(((w.y + y) * img.width + w.x + x) * 4, ((w.y + y) * img.width + w.x + x) * 4 + 4)) as never);
}

/**
 * The window of the given size holding the most of `weight` (e.g. a defect
 * mask), so a zoomed tile shows where the action is. Searched on a 4 px grid
 * with a summed-area table.
 */
export function busiestWindow(weight: CpuImage, width: number, height: number): Window {
  const W = weight.width;
  const H = weight.height;
  width = Math.min(width, W);
  height = Math.min(height, H);
  const sat = new Float64Array((W + 1) * (H + 1));
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) sat[(y + 1) * (W + 1) + x + 1] = weight.data[(y * W + x) * 4] + sat[y * (W + 1) + x + 1] + sat[(y + 1) * (W + 1) + x] - sat[y * (W + 1) + x];
  const sum = (x: number, y: number) => sat[(y + height) * (W + 1) + x + width] - sat[y * (W + 1) + x + width] - sat[(y + height) * (W + 1) + x] + sat[y * (W + 1) + x];
  let best = { x: (W - width) >> 1, y: (H - height) >> 1, width, height };
  let bestSum = sum(best.x, best.y);
  for (let y = 0; y <= H - height; y += 4)
    for (let x = 0; x <= W - width; x += 4) {
      const s = sum(x, y);
      if (s > bestSum) {
        bestSum = s;
        best = { x, y, width, height };
      }
    }
  return best;
}

/** |a - b| per channel times `gain`, for difference tiles. */
export function amplifiedDifference(a: CpuImage, b: CpuImage, gain: number): CpuImage {
  return createImage(a.width, a.height, (x, y) => {
    const i = (y * a.width + x) * 4;
    return [0, 1, 2].map((c) => Math.min(1, gain * Math.abs(a.data[i + c] - b.data[i + c]))).concat(1) as [number, number, number, number];
  });
}

/** Writes a PNG sheet: column titles on top, then each row's caption and tiles (made with makeTile at tileWidth). */
export async function writeContactSheet(path: string, columns: string[], rows: SheetRow[], tileWidth: number): Promise<void> {
  const width = columns.length * (tileWidth + GAP) + GAP;
  const layers: OverlayOptions[] = [];
  columns.forEach((title, i) => layers.push({ input: textStrip(title, tileWidth, CAPTION_HEIGHT, true), left: GAP + i * (tileWidth + GAP), top: 0 }));
  let top = CAPTION_HEIGHT;
  for (const row of rows) {
    layers.push({ input: textStrip(row.caption, width, CAPTION_HEIGHT), left: 0, top });
    top += CAPTION_HEIGHT;
    row.tiles.forEach((tile, i) => layers.push({ input: tile.png, left: GAP + i * (tileWidth + GAP), top }));
    top += Math.max(...row.tiles.map((t) => t.height)) + GAP;
  }
  await sharp({ create: { width, height: top, channels: 3, background: { r: 236, g: 236, b: 236 } } })
    .composite(layers)
    .png()
    .toFile(path);
}
