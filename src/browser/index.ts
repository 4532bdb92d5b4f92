/**
 * Loupe for web apps: the engine on a canvas (or OffscreenCanvas in a worker),
 * the bundled shaders and presets, and browser-side image I/O.
 *
 *   const be = createBrowserEngine(canvas);
 *   const runner = be.engine.runner(graph);
 *   runner.setExternal('source', be.engine.upload(pixels));
 *   const result = runner.run({ scale: 0.25 }).get('result')!;
 *   be.display(result, { sourceSize: [pixels.width, pixels.height] });
 *   const png = await be.toBlob(runner.run().get('result')!);
 */
export { BrowserEngine, createBrowserEngine, fitZoom, type BrowserEngineOptions, type DisplayOptions, type EngineCanvas } from './engine.js';
export { SHADER_FILES, onShaderFilesChanged, type ShaderFilesListener } from './shader-files.js';
export { PRESETS, PRESET_PROBLEMS } from './presets.js';
export type { Preset } from '../presets/index.js';
export { editShaderFile } from './live-edit.js';
export { decodeImageFile, pixelsToBlob, pixelsToImageBitmap, toImageData } from './readback.js';
export { Engine, FILE_ENCODING, type PixelBuffer, type PixelEncoding } from '../engine/engine.js';
export { GraphRunner, type RunOptions, type RunStats } from '../engine/runner.js';
export { ShaderCompileError } from '../gpu/shader-library.js';
export { GraphValidationError } from '../graph/errors.js';
export type { GraphSpec, NodeSpec, ParamValue } from '../graph/types.js';
export type { Capabilities } from '../gpu/capabilities.js';
export type { GpuImage } from '../gpu/texture-pool.js';
