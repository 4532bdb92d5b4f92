/**
 * Loupe's Node API: `createLoupe()` once, then `retouch()` (decode, render,
 * encode) or the steps alone. See docs/cli-and-server.md.
 */
export { createLoupe, Loupe, parseOverride } from './loupe.js';
export type {
  LoupeOptions,
  ParamOverride,
  GraphSource,
  ImageInput,
  RawImage,
  SampleType,
  RenderOptions,
  RenderResult,
  RetouchOptions,
  RetouchResult,
  EncodeResultOptions,
  Timings,
  PresetInfo,
  Preset,
} from './loupe.js';
export * from './errors.js';
export { IMAGE_FORMATS, DEFAULT_MAX_PIXELS, type ImageFormat, type DecodedImage, type ImageMetadata } from '../node/image-io.js';
export type { GraphSpec } from '../graph/types.js';
export type { PixelBuffer } from '../engine/engine.js';
