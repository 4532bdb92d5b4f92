import { mat4 } from 'gl-matrix';
import type { DrawOptions, Sampleable } from '../../gpu/renderer.js';
import type { GpuImage } from '../../gpu/texture-pool.js';
import { definePass } from '../types.js';
import type { Drawer } from './resize.js';

export interface ConvertOptions {
  decodeSrgb?: boolean;
  encodeSrgb?: boolean;
  premultiply?: boolean;
  unpremultiply?: boolean;
  /** Column-major 4x4 matrix applied to linear RGB. */
  colorMatrix?: ArrayLike<number>;
  /** Round to exact 8-bit levels, Math.round(clamp(v) * 255) / 255, for an 8-bit target. */
  quantize8?: boolean;
}

const IDENTITY = mat4.create();

/** One draw of shaders/core/color_convert.frag: transfer function, alpha form and a colour matrix. */
export function convertColor(d: Drawer, img: Sampleable, o: ConvertOptions): GpuImage {
  return d.draw(convertColorDraw(img, o));
}

/** The draw of convertColor, for rendering into a target of one's own (Engine.download's 8-bit path). */
export function convertColorDraw(img: Sampleable, o: ConvertOptions): DrawOptions {
  return {
    shader: 'core/color_convert',
    inputs: { u_image: img },
    uniforms: {
      u_decodeSrgb: o.decodeSrgb ? 1 : 0,
      u_encodeSrgb: o.encodeSrgb ? 1 : 0,
      u_premultiply: o.premultiply ? 1 : 0,
      u_unpremultiply: o.unpremultiply ? 1 : 0,
      u_colorMatrix: Array.from(o.colorMatrix ?? (IDENTITY as ArrayLike<number>)),
      u_quantize8: o.quantize8 ? 1 : 0,
    },
  };
}

/**
 * Exposure and saturation as one 4x4 matrix on linear RGB: saturation mixes
 * each channel with Rec. 709 luminance, exposure scales by 2^EV.
 */
export function exposureSaturationMatrix(exposureEV: number, saturation: number): mat4 {
  const [lr, lg, lb] = [0.2126, 0.7152, 0.0722];
  const s = saturation;
  // gl-matrix is column-major: element (row r, col c) at index c*4 + r.
  const sat = mat4.fromValues(
    lr * (1 - s) + s, lr * (1 - s), lr * (1 - s), 0,
    lg * (1 - s), lg * (1 - s) + s, lg * (1 - s), 0,
    lb * (1 - s), lb * (1 - s), lb * (1 - s) + s, 0,
    0, 0, 0, 1,
  );
  const gain = 2 ** exposureEV;
  const exposure = mat4.fromScaling(mat4.create(), [gain, gain, gain]);
  return mat4.multiply(mat4.create(), exposure, sat);
}

export const colorConvertPass = definePass({
  type: 'color.convert',
  title: 'Colour conversion',
  category: 'core',
  description:
    'Converts transfer function (sRGB <-> linear) and alpha form (straight <-> premultiplied), and applies exposure and saturation in linear light. The engine already decodes inputs to linear premultiplied and encodes outputs; use this for passes that want another encoding.',
  inputs: [{ name: 'image', description: 'image to convert' }],
  outputs: [{ name: 'out', description: 'converted image' }],
  params: {
    transfer: { type: 'enum', options: ['none', 'srgb-to-linear', 'linear-to-srgb'], default: 'none', description: 'transfer function conversion' },
    alpha: { type: 'enum', options: ['keep', 'premultiply', 'unpremultiply'], default: 'keep', description: 'alpha form conversion' },
    exposure: { type: 'number', default: 0, min: -8, max: 8, unit: 'EV', step: 0.05, description: 'exposure change in stops (linear light)' },
    saturation: { type: 'number', default: 1, min: 0, max: 4, unit: 'x', step: 0.01, description: 'saturation relative to luminance (0 = grey)' },
  },
  shaders: ['core/color_convert'],
  run(ctx, inputs, p) {
    const out = convertColor(ctx, inputs.image!, {
      decodeSrgb: p.transfer === 'srgb-to-linear',
      encodeSrgb: p.transfer === 'linear-to-srgb',
      premultiply: p.alpha === 'premultiply',
      unpremultiply: p.alpha === 'unpremultiply',
      colorMatrix: exposureSaturationMatrix(p.exposure as number, p.saturation as number),
    });
    return { out };
  },
});
