import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { CpuImage } from '../cpu/image.js';
import { linearToSrgb } from '../cpu/reference.js';
import type { Shot } from './types.js';

/** A linear-light opaque image as 16-bit sRGB RGB pixels (sharp takes the depth from the array type). */
function srgb16(img: CpuImage): Uint16Array {
  const out = new Uint16Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++)
    for (let c = 0; c < 3; c++) out[3 * i + c] = Math.round(Math.min(1, Math.max(0, linearToSrgb(img.data[4 * i + c]))) * 65535);
  return out;
}

/** The red channel of a mask (0..1) as 8-bit grey. */
function grey8(img: CpuImage): Buffer {
  const out = Buffer.alloc(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, img.data[4 * i])) * 255);
  return out;
}

/** Writes a linear colour image as a 16-bit sRGB PNG. */
export async function writeColorPng(img: CpuImage, path: string): Promise<void> {
  await sharp(srgb16(img), { raw: { width: img.width, height: img.height, channels: 3, premultiplied: false } })
    .toColourspace('rgb16')
    .png()
    .toFile(path);
}

/** Writes a mask or matte (red channel, 0..1) as an 8-bit grey PNG. */
export async function writeMaskPng(img: CpuImage, path: string): Promise<void> {
  await sharp(grey8(img), { raw: { width: img.width, height: img.height, channels: 1 } }).toColourspace('b-w').png().toFile(path);
}

/**
 * Writes a shot's layers into `dir`: raw.png, clean.png and backdrop.png
 * (16-bit sRGB), alpha.png and mask-<name>.png (8-bit grey). Returns the paths.
 */
export async function writeShot(shot: Shot, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const color = async (name: string, img: CpuImage) => {
    const p = join(dir, `${name}.png`);
    await writeColorPng(img, p);
    written.push(p);
  };
  const mask = async (name: string, img: CpuImage) => {
    const p = join(dir, `${name}.png`);
    await writeMaskPng(img, p);
    written.push(p);
  };
  await color('raw', shot.raw);
  await color('clean', shot.clean);
  await color('backdrop', shot.backdrop);
  await mask('alpha', shot.alpha);
  for (const [name, img] of Object.entries(shot.masks)) await mask(`mask-${name}`, img);
  return written;
}
