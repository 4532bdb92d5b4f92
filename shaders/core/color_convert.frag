// Converts between the encodings an image can arrive or leave in:
// transfer (sRGB <-> linear) and alpha (straight <-> premultiplied).
#include "chunks/color"

uniform sampler2D u_image;
uniform int u_decodeSrgb;     // 1: input RGB is sRGB-encoded, decode to linear
uniform int u_encodeSrgb;     // 1: encode output RGB to sRGB
uniform int u_premultiply;    // 1: input alpha is straight, premultiply
uniform int u_unpremultiply;  // 1: input alpha is premultiplied, output straight
uniform mat4 u_colorMatrix;   // applied to linear RGB (identity by default)
uniform int u_quantize8;      // 1: output exact 8-bit levels k / 255 (for an 8-bit target)
varying vec2 v_uv;

void main() {
  vec4 c = texture2D(u_image, v_uv);
  if (u_unpremultiply == 1) c = unpremultiply(c);
  if (u_decodeSrgb == 1) c.rgb = srgbToLinear(c.rgb);
  c.rgb = (u_colorMatrix * vec4(c.rgb, 1.0)).rgb;
  if (u_encodeSrgb == 1) c.rgb = linearToSrgb(c.rgb);
  if (u_premultiply == 1) c = premultiply(c);
  // Round here rather than leave it to the target's float-to-unorm conversion:
  // an H100 rounded values just past a tie down (52 for 52.54), llvmpipe
  // rounds to nearest. An exact level k / 255 converts to k under either.
  if (u_quantize8 == 1) c = floor(clamp(c, 0.0, 1.0) * 255.0 + 0.5) / 255.0;
  gl_FragColor = c;
}
