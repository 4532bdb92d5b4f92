import { FILE_ENCODING, type Engine, type PixelBuffer } from '../src/engine/engine.js';
import { generateShot } from '../src/generator/index.js';

const WORKING = { transfer: 'linear', alpha: 'premultiplied' } as const;

export type SampleKind = 'generated' | 'quick';
export const QUICK_SAMPLE_SIZE = { width: 1024, height: 768 };

/**
 * Software rasterizers (no GPU: SwiftShader, llvmpipe) need 15 s to minutes
 * for the generator's ray-marched shot; they start from the quick sample.
 */
export function defaultSampleKind(renderer: string): SampleKind {
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer) ? 'quick' : 'generated';
}

/**
 * The built-in samples, read back as 8-bit sRGB so from here on they are
 * exactly like an opened PNG (and the Node CLI can reproduce a render from
 * the same pixels):
 * - "generated": the generator's raw shot of a jewelry set, the picture
 *   `loupe sample` writes (realistic defects, heavy to render);
 * - "quick": shaders/demo/sample.frag, a ring with the same kinds of
 *   defects drawn in one pass.
 */
export async function renderSample(engine: Engine, kind: SampleKind, seed = 1): Promise<PixelBuffer> {
  let img;
  if (kind === 'generated') {
    const shot = await generateShot(engine, { seed, subject: 'set' });
    img = engine.upload({ width: shot.width, height: shot.height, data: Float32Array.from(shot.raw.data) }, WORKING);
  } else {
    img = engine.renderer.draw({ shader: 'demo/sample', ...QUICK_SAMPLE_SIZE, uniforms: { u_seed: seed } });
  }
  try {
    return engine.download(img, FILE_ENCODING, 'uint8');
  } finally {
    img.release();
  }
}
