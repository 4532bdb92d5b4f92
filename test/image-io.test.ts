import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage, encodeImage, writeFileAtomic, readExifStrings, type DecodedImage } from '../src/node/image-io.js';
import { ImageDecodeError, ImageTooLargeError, LoupeError } from '../src/api/errors.js';
import { bombPng, corruptPng, displayP3Png, gifFile, imageFile, rampPixels, rotatedJpeg, truncated } from './helpers/image-files.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LoupeError);
    return (e as LoupeError).code;
  }
  throw new Error('expected the promise to reject');
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('decodeImage', () => {
  it('reads 8-bit PNG, TIFF and lossless WebP exactly, as RGBA', async () => {
    const expected = rampPixels(24, 16, 3);
    for (const format of ['png', 'tiff', 'webp'] as const) {
      const d = await decodeImage(await imageFile(24, 16, format));
      expect(d.format).toBe(format);
      expect(d.bitDepth).toBe(8);
      expect(d.hasAlpha).toBe(false);
      expect(d.pixels.data).toBeInstanceOf(Uint8Array);
      const rgb = Array.from(d.pixels.data as ArrayLike<number>).filter((_, i) => i % 4 !== 3);
      expect(maxDiff(rgb, expected)).toBe(0);
      expect(Array.from(d.pixels.data as ArrayLike<number>).filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
    }
  });

  it('reads JPEG as libjpeg decodes it, laid out as RGBA', async () => {
    const file = await imageFile(24, 16, 'jpeg');
    const d = await decodeImage(file);
    expect([d.format, d.bitDepth, d.hasAlpha, d.pixels.width, d.pixels.height]).toEqual(['jpeg', 8, false, 24, 16]);
    const rgb = Array.from(d.pixels.data as ArrayLike<number>).filter((_, i) => i % 4 !== 3);
    expect(maxDiff(rgb, await sharp(file).raw().toBuffer())).toBe(0);
  });

  it('keeps 16-bit PNG and TIFF at 16 bits (values that 8 bits cannot hold survive)', async () => {
    const expected = new Uint16Array(rampPixels(20, 12, 4, 3, 16).buffer.slice(0));
    expect([...expected].some((v) => v % 257 !== 0)).toBe(true);
    for (const format of ['png', 'tiff'] as const) {
      const d = await decodeImage(await imageFile(20, 12, format, { alpha: true, bits: 16, seed: 3 }));
      expect(d.bitDepth).toBe(16);
      expect(d.hasAlpha).toBe(true);
      expect(d.pixels.data).toBeInstanceOf(Uint16Array);
      expect(maxDiff(d.pixels.data, expected)).toBe(0);
    }
  });

  it('keeps alpha of 8-bit PNG', async () => {
    const d = await decodeImage(await imageFile(20, 12, 'png', { alpha: true }));
    expect(d.hasAlpha).toBe(true);
    expect(maxDiff(d.pixels.data, rampPixels(20, 12, 4))).toBe(0);
  });

  it('applies EXIF orientation and keeps camera fields', async () => {
    const d = await decodeImage(await rotatedJpeg());
    expect([d.pixels.width, d.pixels.height]).toEqual([4, 8]);
    const px = (x: number, y: number) => [...d.pixels.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 3)];
    // Orientation 6: the stored left half (red) is the top when viewed.
    expect(px(1, 1)[0]).toBeGreaterThan(200);
    expect(px(1, 1)[2]).toBeLessThan(50);
    expect(px(1, 6)[2]).toBeGreaterThan(200);
    expect(px(1, 6)[0]).toBeLessThan(50);
    expect(d.metadata.exif?.IFD0).toMatchObject({ Make: 'Loupe Test Camera', Model: 'LT-1', Copyright: 'Test Studio' });
  });

  it('converts a Display P3 image to sRGB and remembers its profile', async () => {
    const file = await displayP3Png();
    const d = await decodeImage(file);
    expect(d.metadata.iccDescription).toMatch(/P3/);
    const rgb = Array.from(d.pixels.data as ArrayLike<number>).filter((_, i) => i % 4 !== 3);
    const source = rampPixels(16, 16, 3);
    // The file's own numbers are P3 and far from the sRGB ramp it was made from...
    const p3Numbers = await sharp(file).keepIccProfile().raw().toBuffer();
    expect(maxDiff(p3Numbers, source)).toBeGreaterThan(50);
    // ...decoding converts them back. The fixture stores 8-bit P3, and sRGB -> 8-bit P3 -> sRGB loses up to
    // 8 levels where a saturated colour has a channel near 0 (measured); on average it is well under one level.
    expect(maxDiff(rgb, source)).toBeLessThanOrEqual(8);
    expect(rgb.reduce((s, v, i) => s + Math.abs(v - source[i]), 0) / rgb.length).toBeLessThan(0.5);
  });

  it('names each bad-input class', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-io-'));
    expect(await code(decodeImage(Buffer.alloc(0)))).toBe('EMPTY_FILE');
    expect(await code(decodeImage(join(dir, 'missing.png')))).toBe('FILE_NOT_FOUND');
    expect(await code(decodeImage(await corruptPng()))).toBe('CORRUPT_IMAGE');
    expect(await code(decodeImage(await truncated('png')))).toBe('TRUNCATED_IMAGE');
    expect(await code(decodeImage(await truncated('jpeg')))).toBe('TRUNCATED_IMAGE');
    expect(await code(decodeImage(await gifFile()))).toBe('UNSUPPORTED_FORMAT');
    expect(await code(decodeImage(Buffer.from('just some text, not an image')))).toBe('UNSUPPORTED_FORMAT');
    const err = await decodeImage(await truncated('png'), { label: 'ring.png' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect(err.file).toBe('ring.png');
    expect(err.message).toMatch(/^ring\.png: .*truncated/);
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = await bombPng(100_000, 100_000);
    const t0 = performance.now();
    const err = await decodeImage(bomb).catch((e) => e);
    // A decode would allocate 40 GB; a header read takes milliseconds (1 s leaves room for a loaded CI machine).
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(ImageTooLargeError);
    expect(err.message).toMatch(/100000x100000.*over the limit/);
    // The limit is configurable: a normal small image is refused under a tiny limit and accepted above it.
    const small = await imageFile(40, 30, 'png');
    expect(await code(decodeImage(small, { maxPixels: 1199 }))).toBe('IMAGE_TOO_LARGE');
    expect((await decodeImage(small, { maxPixels: 1200 })).pixels.width).toBe(40);
  });
});

describe('encodeImage', () => {
  async function roundTrip(d: DecodedImage, opts: Parameters<typeof encodeImage>[1]) {
    return decodeImage(await encodeImage(d.pixels, opts));
  }

  it('writes every format; lossless ones exactly', async () => {
    const d = await decodeImage(await imageFile(24, 16, 'png', { alpha: true }));
    for (const format of ['png', 'tiff'] as const) {
      const back = await roundTrip(d, { format, alpha: true });
      expect(back.format).toBe(format);
      expect(maxDiff(back.pixels.data, d.pixels.data)).toBe(0);
    }
    const webp = await roundTrip(d, { format: 'webp', quality: 100, alpha: true });
    expect(maxDiff(webp.pixels.data, d.pixels.data)).toBe(0); // exact even under alpha 0 (lossless + exact)
    const jpeg = await roundTrip(d, { format: 'jpeg', quality: 95, alpha: false });
    expect(jpeg.format).toBe('jpeg');
    expect(jpeg.hasAlpha).toBe(false);
  });

  it('writes 16-bit PNG and TIFF exactly', async () => {
    const d = await decodeImage(await imageFile(20, 12, 'png', { alpha: true, bits: 16, seed: 5 }));
    for (const format of ['png', 'tiff'] as const) {
      const file = await encodeImage(d.pixels, { format, bitDepth: 16, alpha: true });
      expect((await sharp(file).metadata()).depth).toBe('ushort');
      expect(maxDiff((await decodeImage(file)).pixels.data, d.pixels.data)).toBe(0);
    }
  });

  it('puts transparent pixels on white in JPEG (no alpha there)', async () => {
    const clear = new Uint8Array(4 * 4 * 4); // all zero: transparent black
    const back = await decodeImage(await encodeImage({ width: 4, height: 4, data: clear }, { format: 'jpeg' }));
    expect(Math.min(...Array.from(back.pixels.data as ArrayLike<number>))).toBeGreaterThanOrEqual(250);
  });

  it('keeps the ICC profile (colours round-trip through P3) and EXIF fields, drops the applied orientation', async () => {
    const source = await displayP3Png();
    const p3 = await decodeImage(source);
    const p3file = await encodeImage(p3.pixels, { format: 'png', alpha: false, metadata: p3.metadata });
    expect((await decodeImage(p3file)).metadata.iccDescription).toBe(p3.metadata.iccDescription);
    // The output holds P3 numbers again (converted back, not just tagged): close to the source file's own
    // numbers; the 8-bit sRGB in between costs a few levels at saturated colours (see above).
    const [inNumbers, outNumbers] = await Promise.all([source, p3file].map((f) => sharp(f).keepIccProfile().raw().toBuffer()));
    expect(maxDiff(outNumbers, inNumbers)).toBeLessThanOrEqual(8);
    expect(outNumbers.reduce((s, v, i) => s + Math.abs(v - inNumbers[i]), 0) / outNumbers.length).toBeLessThan(0.5);

    const rot = await decodeImage(await rotatedJpeg());
    const out = await encodeImage(rot.pixels, { format: 'jpeg', alpha: false, metadata: rot.metadata });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([4, 8]);
    expect(meta.orientation ?? 1).toBe(1);
    expect(readExifStrings(meta.exif!)?.IFD0).toMatchObject({ Make: 'Loupe Test Camera', Model: 'LT-1', Copyright: 'Test Studio' });
  });

  it('rejects a bad quality', async () => {
    const px = { width: 1, height: 1, data: new Uint8Array(4) };
    expect(await code(encodeImage(px, { format: 'jpeg', quality: 0 }))).toBe('INVALID_OPTION');
    expect(await code(encodeImage(px, { format: 'jpeg', quality: 101 }))).toBe('INVALID_OPTION');
  });
});

describe('writeFileAtomic', () => {
  it('leaves the complete file and no temporary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-atomic-'));
    const data = Buffer.alloc(100_000, 7);
    await writeFileAtomic(join(dir, 'a.bin'), data);
    expect(await readdir(dir)).toEqual(['a.bin']);
    expect((await readFile(join(dir, 'a.bin'))).equals(data)).toBe(true);
    expect(await code(writeFileAtomic(join(dir, 'no-such-dir', 'b.bin'), data))).toBe('WRITE_FAILED');
    expect(await readdir(dir)).toEqual(['a.bin']);
  });
});
