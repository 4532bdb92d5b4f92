/**
 * Small image files for the CLI, API, service and image I/O tests, written
 * with sharp (independently of the code under test), plus the bad inputs:
 * corrupt, truncated, empty, unsupported and decompression-bomb files.
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { rng } from '../../src/cpu/image.js';

/** A smooth colour ramp with noise: every pixel differs, so a wrong orientation or channel order shows. */
export function rampPixels(width: number, height: number, channels: 3 | 4, seed = 1, bits: 8 | 16 = 8): Buffer {
  const random = rng(seed);
  const max = bits === 16 ? 65535 : 255;
  const values = new (bits === 16 ? Uint16Array : Uint8Array)(width * height * channels);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      values[i] = Math.round((x / Math.max(1, width - 1)) * 0.8 * max + random() * 0.1 * max);
      values[i + 1] = Math.round((y / Math.max(1, height - 1)) * 0.8 * max + random() * 0.1 * max);
      values[i + 2] = Math.round(0.5 * max + random() * 0.2 * max);
      if (channels === 4) values[i + 3] = Math.round(((x + y) / (width + height - 2)) * max);
    }
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

export function imageFile(width: number, height: number, format: 'png' | 'jpeg' | 'webp' | 'tiff', opts: { alpha?: boolean; bits?: 8 | 16; seed?: number } = {}): Promise<Buffer> {
  const channels = opts.alpha ? 4 : 3;
  const bits = opts.bits ?? 8;
  const raw = rampPixels(width, height, channels, opts.seed ?? 1, bits);
  const input = bits === 16 ? new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2) : raw;
  let img = sharp(input, { raw: { width, height, channels } });
  if (bits === 16) img = img.toColourspace('rgb16');
  switch (format) {
    case 'png':
      return img.png().toBuffer();
    case 'jpeg':
      return img.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'webp':
      return img.webp({ lossless: true }).toBuffer();
    case 'tiff':
      return img.tiff({ compression: 'lzw' }).toBuffer();
  }
}

/** A PNG with its chunk data flipped in the middle: structurally complete (IEND present), data damaged. */
export async function corruptPng(): Promise<Buffer> {
  const png = await imageFile(64, 64, 'png');
  const bad = Buffer.from(png);
  for (let i = 100; i < bad.length - 20; i += 7) bad[i] ^= 0x5a;
  return bad;
}

export async function truncated(format: 'png' | 'jpeg'): Promise<Buffer> {
  const file = await imageFile(64, 64, format);
  return file.subarray(0, Math.floor(file.length * 0.6));
}

/**
 * A decompression bomb: a valid 1x1 PNG whose header claims width x height.
 * Decoding it would allocate width*height*4 bytes; it must be refused from the header alone.
 */
export async function bombPng(width = 100_000, height = 100_000): Promise<Buffer> {
  const png = Buffer.from(await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ffffff' } }).png().toBuffer());
  // IHDR: length(4) "IHDR"(4) width(4) height(4) ... at offset 8; CRC covers type + data (17 bytes).
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

export function gifFile(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } }).gif().toBuffer();
}

/**
 * A JPEG stored 8 wide x 4 high, left half red and right half blue, with EXIF
 * orientation 6 ("rotate 90 degrees clockwise to view"), camera fields and
 * copyright. Displayed correctly it is 4 wide x 8 high with red on top.
 */
export async function rotatedJpeg(): Promise<Buffer> {
  const raw = Buffer.alloc(8 * 4 * 3);
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 8; x++) raw.set(x < 4 ? [255, 0, 0] : [0, 0, 255], (y * 8 + x) * 3);
  return sharp(raw, { raw: { width: 8, height: 4, channels: 3 } })
    .withExif({ IFD0: { Make: 'Loupe Test Camera', Model: 'LT-1', Copyright: 'Test Studio' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
    .toBuffer();
}

/** An opaque 8-bit image in Display P3 (the sRGB ramp converted by sharp/lcms and tagged with the profile). */
export async function displayP3Png(width = 16, height = 16): Promise<Buffer> {
  return sharp(rampPixels(width, height, 3), { raw: { width, height, channels: 3 } }).withIccProfile('p3').png().toBuffer();
}

/**
 * 8-bit sRGB RGBA pixels of a gold ring on a plain grey backdrop, or with
 * `sleeve` a woven sleeve across the lower 45 % of the frame as well: a
 * lifestyle shot, whose key covers most of the frame's edge.
 */
export function ringShot(sleeve: boolean, w = 128): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(w * w * 4);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const weave = 0.5 + 0.5 * Math.sin(0.9 * x) * Math.sin(0.9 * y);
      const ring = Math.abs(Math.hypot(x - w / 2, y - w / 4) - w / 10) < w / 40;
      const rgb = sleeve && y >= 0.55 * w ? [150 + 40 * weave, 110 + 30 * weave, 80 + 20 * weave] : ring ? [225, 185, 110] : [200, 200, 200];
      data.set([...rgb.map(Math.round), 255], (y * w + x) * 4);
    }
  }
  return { width: w, height: w, data };
}
