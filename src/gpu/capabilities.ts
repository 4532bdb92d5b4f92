import type REGL from 'regl';
import type { TexelFormat } from './texture-pool.js';

export interface Capabilities {
  /** Storage of intermediate images: the most precise renderable format. */
  format: TexelFormat;
  /** Whether that format can be sampled with bilinear filtering. */
  linearFilter: boolean;
  maxTextureSize: number;
  maxViewport: [number, number];
  renderer: string;
  /** Set when the engine had to fall back to something that loses quality. */
  warnings: string[];
}

/** Extensions the engine uses when present; none is strictly required. */
export const OPTIONAL_EXTENSIONS = [
  'OES_texture_float',
  'OES_texture_float_linear',
  'OES_texture_half_float',
  'OES_texture_half_float_linear',
  'WEBGL_color_buffer_float',
  'EXT_color_buffer_half_float',
];

function renderable(regl: REGL.Regl, type: TexelFormat): boolean {
  try {
    const tex = regl.texture({ width: 4, height: 4, type, format: 'rgba' });
    // regl checks framebuffer completeness and throws when it is not.
    const fbo = regl.framebuffer({ color: tex, depthStencil: false });
    fbo.destroy();
    tex.destroy();
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks the storage format: RGBA32F where it is renderable (desktop browsers,
 * headless-gl), half float where only that is (iOS Safari), 8-bit as the last
 * resort with a warning, since 8-bit intermediates band and cannot hold the
 * signed high-frequency layer.
 */
export function probeCapabilities(regl: REGL.Regl, gl: WebGLRenderingContext): Capabilities {
  const warnings: string[] = [];
  let format: TexelFormat = 'uint8';
  if (regl.hasExtension('OES_texture_float') && renderable(regl, 'float')) format = 'float';
  else if (regl.hasExtension('OES_texture_half_float') && renderable(regl, 'half float')) format = 'half float';
  else warnings.push('no renderable float textures: falling back to 8-bit intermediates (expect banding; frequency separation loses its signed layer)');

  const linearFilter =
    format === 'uint8' ||
    (format === 'float' && regl.hasExtension('OES_texture_float_linear')) ||
    (format === 'half float' && regl.hasExtension('OES_texture_half_float_linear'));
  if (!linearFilter) warnings.push(`${format} textures cannot be filtered linearly here: shaders that read a smaller image straight through texture2D see nearest-texel steps`);

  const vp = gl.getParameter(gl.MAX_VIEWPORT_DIMS) as Int32Array;
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(dbg ? dbg.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return {
    format,
    linearFilter,
    maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number,
    maxViewport: [vp[0], vp[1]],
    renderer,
    warnings,
  };
}
