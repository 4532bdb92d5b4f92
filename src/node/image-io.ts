/**
 * Image files in and out of the engine (Node, sharp/libvips).
 *
 * Decoding applies EXIF orientation, converts to sRGB (the engine's file
 * encoding), keeps 16-bit sources at 16 bits and always yields RGBA. Before
 * anything is decoded, the header is read and images over the pixel limit are
 * refused, so a decompression bomb costs a header parse, not gigabytes.
 * Encoding writes the input's ICC profile and useful EXIF fields back.
 */
import { promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import type { PixelBuffer } from '../engine/engine.js';
import { ImageDecodeError, ImageTooLargeError, LoupeError, OptionError } from '../api/errors.js';

export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'tiff'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Default pixel limit: 100 MP, above any camera in use and far below a bomb. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

export const FILE_EXTENSIONS: Record<ImageFormat, string> = { png: 'png', jpeg: 'jpg', webp: 'webp', tiff: 'tif' };
const EXTENSION_FORMATS: Record<string, ImageFormat> = { png: 'png', jpg: 'jpeg', jpeg: 'jpeg', webp: 'webp', tif: 'tiff', tiff: 'tiff' };
export const MIME_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', tiff: 'image/tiff' };

/** libvips settings. They are process-wide (sharp loads one libvips), so the last call wins. */
export interface LibvipsSettings {
  /**
   * MiB for libvips' operation cache; 0 (the default) turns it off. The cache
   * only pays when the same operation runs on the same input again, which a
   * batch or a server never does: it just holds up to 100 recent operations
   * and their pixels, so memory creeps up to its cap and then jitters.
   */
  operationCacheMb?: number;
  /** Threads libvips uses per image (default: sharp's, 1 on glibc Linux to limit malloc fragmentation). */
  threadsPerImage?: number;
}

/** Applies libvips settings; `createLoupe` calls it, so the defaults hold for the CLI and the service too. */
export function configureLibvips(settings: LibvipsSettings = {}): void {
  const cacheMb = settings.operationCacheMb ?? 0;
  if (!(Number.isFinite(cacheMb) && cacheMb >= 0)) throw new OptionError(`operationCacheMb must be a number >= 0, got ${settings.operationCacheMb}`);
  sharp.cache(cacheMb > 0 ? { memory: cacheMb } : false);
  const threads = settings.threadsPerImage;
  if (threads !== undefined) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new OptionError(`threadsPerImage must be an integer >= 1, got ${threads}`);
    sharp.concurrency(threads);
  }
}

/** What of the input survives into the output file. */
export interface ImageMetadata {
  /** Embedded ICC profile (pixels were converted to sRGB; the output is converted back). */
  icc?: Buffer;
  /** Description of the ICC profile, for reports. */
  iccDescription?: string;
  /** String EXIF fields worth keeping (camera, lens, date, author, copyright). Orientation is applied, so dropped. */
  exif?: ExifStrings;
  /** Pixels per inch. */
  density?: number;
}

export interface DecodedImage {
  /** RGBA, straight alpha, sRGB-encoded, row 0 = top (after EXIF orientation). */
  pixels: PixelBuffer & { data: Uint8Array | Uint16Array };
  bitDepth: 8 | 16;
  /** Whether the source had an alpha channel (opaque alpha is added otherwise). */
  hasAlpha: boolean;
  format: ImageFormat;
  metadata: ImageMetadata;
}

export interface DecodeOptions {
  /** Refuse images with more pixels than this before decoding them. */
  maxPixels?: number;
  /** Name used in error messages (the file path for path inputs). */
  label?: string;
}

export function formatFromPath(path: string): ImageFormat | undefined {
  const ext = path.toLowerCase().split('.').pop() ?? '';
  return EXTENSION_FORMATS[ext];
}

export function parseFormat(value: string): ImageFormat {
  const f = EXTENSION_FORMATS[value.toLowerCase()];
  if (!f) throw new OptionError(`unknown output format "${value}" (use ${IMAGE_FORMATS.join(', ')})`);
  return f;
}

/** Reads an image file or buffer; every failure is an ImageDecodeError / ImageTooLargeError naming the file. */
export async function decodeImage(input: string | Buffer, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const label = opts.label ?? (typeof input === 'string' ? input : undefined);
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  const bytes = typeof input === 'string' ? await readInput(input) : input;
  if (bytes.length === 0) throw new ImageDecodeError('EMPTY_FILE', 'file is empty (0 bytes)', { file: label });

  // Header only: format, size, depth, profile. Nothing is decompressed yet.
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw classifySharpError(e, label, bytes);
  }
  const format = decodableFormat(meta.format);
  if (!format)
    throw new ImageDecodeError('UNSUPPORTED_FORMAT', `unsupported image format "${meta.format}" (Loupe reads ${IMAGE_FORMATS.join(', ')})`, { file: label });
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels) throw new ImageTooLargeError(width, height, maxPixels, label);

  const bitDepth: 8 | 16 = meta.depth === 'ushort' ? 16 : 8;
  try {
    // failOn 'error' also rejects truncated data instead of returning grey rows.
    let pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).rotate();
    pipeline = bitDepth === 16 ? pipeline.toColourspace('rgb16') : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.ensureAlpha().raw(bitDepth === 16 ? { depth: 'ushort' } : {}).toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`decoder returned ${info.channels} channels, expected 4`);
    const pixels =
      bitDepth === 16
        ? new Uint16Array(data.buffer, data.byteOffset, data.length / 2)
        : new Uint8Array(data.buffer, data.byteOffset, data.length);
    return {
      pixels: { width: info.width, height: info.height, data: pixels },
      bitDepth,
      hasAlpha: meta.hasAlpha === true,
      format,
      metadata: {
        icc: meta.icc,
        iccDescription: meta.icc ? iccDescription(meta.icc) : undefined,
        exif: meta.exif ? readExifStrings(meta.exif) : undefined,
        density: meta.density,
      },
    };
  } catch (e) {
    throw classifySharpError(e, label, bytes);
  }
}

export interface EncodeOptions {
  format: ImageFormat;
  /** 1..100 for JPEG, WebP and TIFF (JPEG compression); PNG is lossless and ignores it. */
  quality?: number;
  /** 16 needs Uint16 pixels and a PNG or TIFF output; otherwise 8 bits are written. */
  bitDepth?: 8 | 16;
  /**
   * Write an alpha channel? Default: only when some pixel is not opaque.
   * JPEG has none: transparent areas are put on white.
   */
  alpha?: boolean;
  metadata?: ImageMetadata;
}

/** Encodes RGBA straight-alpha sRGB pixels (Uint8 or Uint16) to a file buffer. */
export async function encodeImage(pixels: PixelBuffer, opts: EncodeOptions): Promise<Buffer> {
  const { width, height, data } = pixels;
  if (opts.quality !== undefined && !(Number.isInteger(opts.quality) && opts.quality >= 1 && opts.quality <= 100))
    throw new OptionError(`quality must be an integer from 1 to 100, got ${opts.quality}`);
  const sixteen = opts.bitDepth === 16 && (opts.format === 'png' || opts.format === 'tiff');
  if (opts.bitDepth === 16 && !(data instanceof Uint16Array)) throw new OptionError('16-bit output needs 16-bit pixels');
  const input = data instanceof Uint16Array ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const alpha = opts.alpha ?? !isOpaque(pixels);
  let img = sharp(input, { raw: { width, height, channels: 4 }, limitInputPixels: false });
  if (!alpha) img = img.removeAlpha();
  else if (opts.format === 'jpeg') img = img.flatten({ background: '#ffffff' });
  img = sixteen ? img.toColourspace('rgb16') : img.toColourspace('srgb');

  const meta = opts.metadata;
  if (meta?.icc) img = img.withIccProfile(await iccProfilePath(meta.icc));
  if (meta?.exif && opts.format !== 'tiff') img = img.withExif(meta.exif);
  if (meta?.density) img = img.withDensity(meta.density);

  switch (opts.format) {
    case 'png':
      img = img.png({ compressionLevel: 6 });
      break;
    case 'jpeg':
      img = img.jpeg({ quality: opts.quality ?? 92, chromaSubsampling: '4:4:4', mozjpeg: false });
      break;
    case 'webp':
      // exact: keep the colour under transparent pixels (a later un-cutout or edit may need it).
      img = img.webp(opts.quality === 100 ? { lossless: true, exact: true } : { quality: opts.quality ?? 92, alphaQuality: 100 });
      break;
    case 'tiff':
      img = img.tiff(opts.quality === undefined ? { compression: 'lzw' } : { compression: 'jpeg', quality: opts.quality });
      break;
  }
  return img.toBuffer();
}

/** True when every alpha sample is at full scale. */
export function isOpaque(p: PixelBuffer): boolean {
  const max = p.data instanceof Uint16Array ? 65535 : p.data instanceof Float32Array ? 1 : 255;
  for (let i = 3; i < p.data.length; i += 4) if (p.data[i] < max) return false;
  return true;
}

/**
 * Writes a file so that readers only ever see the complete file or none:
 * a temporary in the same directory, then an atomic rename over the target.
 */
export async function writeFileAtomic(path: string, data: Buffer): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.partial`);
  pendingTemps.add(temp);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, path);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw new LoupeError('WRITE_FAILED', `could not write: ${(e as Error).message}`, { file: path, cause: e });
  } finally {
    pendingTemps.delete(temp);
  }
}

const pendingTemps = new Set<string>();

/** Removes temporaries of writes still in flight (call on SIGINT/SIGTERM before exiting). */
export function removePendingTemps(): void {
  for (const t of pendingTemps) {
    rmSync(t, { force: true });
  }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) throw new ImageDecodeError('UNSUPPORTED_FORMAT', 'is a directory, not an image', { file: path });
    return await fs.readFile(path);
  } catch (e) {
    if (e instanceof LoupeError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new ImageDecodeError('FILE_NOT_FOUND', 'no such file', { file: path });
    throw new ImageDecodeError('FILE_NOT_FOUND', `cannot read: ${err.message}`, { file: path });
  }
}

function decodableFormat(f: string | undefined): ImageFormat | undefined {
  return f === 'png' || f === 'jpeg' || f === 'webp' || f === 'tiff' ? f : undefined;
}

/**
 * libvips error text plus the file's own structure -> the problem in words a
 * user can act on. libvips says "read error" for both damaged and cut-off
 * PNGs, so truncation is decided from the bytes: a missing end marker (or a
 * container shorter than its header declares) means the file was cut off.
 */
function classifySharpError(e: unknown, file: string | undefined, bytes: Buffer): LoupeError {
  if (e instanceof LoupeError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const detail = raw.split('\n')[0].trim().replace(/:$/, '');
  const sniffed = sniffFormat(bytes);
  if (/pixel limit/i.test(raw)) return new ImageDecodeError('IMAGE_TOO_LARGE', `image exceeds the pixel limit (${detail})`, { file, cause: e });
  if (sniffed && looksTruncated(bytes, sniffed))
    return new ImageDecodeError('TRUNCATED_IMAGE', `the ${sniffed.toUpperCase()} file is truncated (it ends before its data does: ${detail})`, { file, cause: e });
  if (!sniffed && /unsupported image format/i.test(raw))
    return new ImageDecodeError('UNSUPPORTED_FORMAT', `not an image Loupe can read (${IMAGE_FORMATS.join(', ')})`, { file, cause: e });
  if (!sniffed && /premature end|truncated|unexpected end/i.test(raw))
    return new ImageDecodeError('TRUNCATED_IMAGE', `image data is truncated (${detail})`, { file, cause: e });
  return new ImageDecodeError('CORRUPT_IMAGE', `the ${sniffed ? sniffed.toUpperCase() + ' ' : ''}file is corrupt (${detail})`, { file, cause: e });
}

/** The format from the file's magic bytes (independent of libvips, which may fail on a damaged header). */
function sniffFormat(b: Buffer): ImageFormat | undefined {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 4 && (b.toString('latin1', 0, 4) === 'II*\0' || b.toString('latin1', 0, 4) === 'MM\0*')) return 'tiff';
  return undefined;
}

function looksTruncated(b: Buffer, format: ImageFormat): boolean {
  switch (format) {
    case 'png':
      return b.lastIndexOf('IEND', undefined, 'latin1') < 0;
    case 'jpeg':
      return b.subarray(Math.max(0, b.length - 64)).indexOf(Buffer.from([0xff, 0xd9])) < 0;
    case 'webp':
      return b.length < 12 || b.readUInt32LE(4) + 8 > b.length;
    case 'tiff': {
      if (b.length < 8) return true;
      const ifd = b.toString('latin1', 0, 2) === 'II' ? b.readUInt32LE(4) : b.readUInt32BE(4);
      return ifd + 2 > b.length;
    }
  }
}

/** libvips attaches profiles from files: each distinct profile is written once to the temp dir. */
const iccPaths = new Map<string, Promise<string>>();
function iccProfilePath(icc: Buffer): Promise<string> {
  const key = createHash('sha1').update(icc).digest('hex');
  let p = iccPaths.get(key);
  if (!p) {
    const path = join(tmpdir(), `loupe-icc-${key}.icc`);
    p = fs.writeFile(path, icc).then(() => path);
    iccPaths.set(key, p);
  }
  return p;
}

/** The profile's "desc" tag text (ICC v2 'desc' or v4 'mluc'), or undefined. */
function iccDescription(icc: Buffer): string | undefined {
  if (icc.length < 132) return undefined;
  const count = icc.readUInt32BE(128);
  for (let i = 0; i < count && 132 + i * 12 + 12 <= icc.length; i++) {
    const at = 132 + i * 12;
    if (icc.toString('latin1', at, at + 4) !== 'desc') continue;
    const offset = icc.readUInt32BE(at + 4);
    const type = icc.toString('latin1', offset, offset + 4);
    if (type === 'desc') return icc.toString('latin1', offset + 12, offset + 12 + icc.readUInt32BE(offset + 8) - 1);
    if (type === 'mluc') {
      const len = icc.readUInt32BE(offset + 20);
      const start = offset + icc.readUInt32BE(offset + 24);
      return Buffer.from(icc.subarray(start, start + len)).swap16().toString('utf16le');
    }
  }
  return undefined;
}

/** EXIF string fields by IFD, in the form sharp's withExif() writes. */
export type ExifStrings = { IFD0?: Record<string, string>; IFD2?: Record<string, string> };

/** ASCII tags worth carrying over: who, what camera, when. Orientation is deliberately absent (already applied). */
const IFD0_TAGS: Record<number, string> = {
  0x010e: 'ImageDescription',
  0x010f: 'Make',
  0x0110: 'Model',
  0x0131: 'Software',
  0x0132: 'DateTime',
  0x013b: 'Artist',
  0x8298: 'Copyright',
};
/** Tags of the Exif sub-IFD (libvips calls it IFD2). */
const EXIF_IFD_TAGS: Record<number, string> = { 0x9003: 'DateTimeOriginal', 0xa433: 'LensMake', 0xa434: 'LensModel', 0xa431: 'BodySerialNumber' };
const EXIF_IFD_POINTER = 0x8769;

/** Reads the string fields above from a raw EXIF block (a TIFF structure, optionally after "Exif\0\0"). */
export function readExifStrings(exif: Buffer): ExifStrings | undefined {
  const tiff = exif.toString('latin1', 0, 6) === 'Exif\0\0' ? exif.subarray(6) : exif;
  if (tiff.length < 8) return undefined;
  const little = tiff.toString('latin1', 0, 2) === 'II';
  if (!little && tiff.toString('latin1', 0, 2) !== 'MM') return undefined;
  const u16 = (o: number) => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const readIfd = (offset: number, names: Record<number, string>, out: Record<string, string>): number | undefined => {
    if (offset + 2 > tiff.length) return undefined;
    let pointer: number | undefined;
    const entries = u16(offset);
    for (let i = 0; i < entries; i++) {
      const at = offset + 2 + i * 12;
      if (at + 12 > tiff.length) break;
      const tag = u16(at);
      const type = u16(at + 2);
      const count = u32(at + 4);
      if (tag === EXIF_IFD_POINTER) pointer = u32(at + 8);
      const name = names[tag];
      if (!name || type !== 2 || count === 0) continue;
      const start = count <= 4 ? at + 8 : u32(at + 8);
      if (start + count > tiff.length) continue;
      const text = tiff.toString('latin1', start, start + count).replace(/\0+$/, '').trim();
      if (text) out[name] = text;
    }
    return pointer;
  };
  const ifd0: Record<string, string> = {};
  const sub: Record<string, string> = {};
  const pointer = readIfd(u32(4), IFD0_TAGS, ifd0);
  if (pointer) readIfd(pointer, EXIF_IFD_TAGS, sub);
  const result: ExifStrings = {};
  if (Object.keys(ifd0).length) result.IFD0 = ifd0;
  if (Object.keys(sub).length) result.IFD2 = sub;
  return result.IFD0 || result.IFD2 ? result : undefined;
}
