import { FILE_ENCODING, type Engine, type PixelBuffer } from '../src/engine/engine.js';

export const SAMPLE_SIZE = { width: 1024, height: 768 };

/**
 * The built-in sample: shaders/demo/sample.frag drawn on the GPU, then read
 * back as 8-bit sRGB, so from here on it is exactly like an opened PNG (and
 * the Node CLI can reproduce a render of it from the same pixels).
 */
export function renderSample(engine: Engine, seed = 1, size = SAMPLE_SIZE): PixelBuffer {
  const img = engine.renderer.draw({ shader: 'demo/sample', width: size.width, height: size.height, uniforms: { u_seed: seed } });
  try {
    return engine.download(img, FILE_ENCODING, 'uint8');
  } finally {
    img.release();
  }
}
