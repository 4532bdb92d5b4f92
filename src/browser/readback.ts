import type { PixelBuffer } from '../engine/engine.js';

/** 8-bit RGBA pixels (straight alpha, sRGB) as ImageData. */
export function toImageData(p: PixelBuffer): ImageData {
  if (!(p.data instanceof Uint8Array || p.data instanceof Uint8ClampedArray))
    throw new TypeError('ImageData needs 8-bit pixels: read them with type "uint8"');
  return new ImageData(new Uint8ClampedArray(p.data.buffer as ArrayBuffer, p.data.byteOffset, p.data.length), p.width, p.height);
}

/**
 * Encodes pixels as PNG/JPEG/WebP through a 2D canvas. For PNG of an opaque
 * image this is lossless; canvases store premultiplied alpha, so
 * semi-transparent pixels may move by a level.
 */
export async function pixelsToBlob(p: PixelBuffer, mimeType = 'image/png', quality?: number): Promise<Blob> {
  const image = toImageData(p);
  if (typeof OffscreenCanvas !== 'undefined') {
    const c = new OffscreenCanvas(p.width, p.height);
    c.getContext('2d')!.putImageData(image, 0, 0);
    return c.convertToBlob({ type: mimeType, quality });
  }
  const c = document.createElement('canvas');
  c.width = p.width;
  c.height = p.height;
  c.getContext('2d')!.putImageData(image, 0, 0);
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error(`could not encode ${mimeType}`))), mimeType, quality));
}

export function pixelsToImageBitmap(p: PixelBuffer): Promise<ImageBitmap> {
  return createImageBitmap(toImageData(p), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
}

/** Decodes an image file (PNG, JPEG, WebP...) to 8-bit sRGB straight-alpha pixels, row 0 at the top. */
export async function decodeImageFile(file: Blob): Promise<PixelBuffer> {
  const bitmap = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  try {
    const c = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
}
