// Converts between the encodings an image can arrive or leave in:
// transfer (sRGB <-> linear) and alpha (straight <-> premultiplied).
#include "chunks/color"

uniform sampler2D u_image;
uniform int u_decodeSrgb;     // 1: input RGB is sRGB-encoded, decode to linear
uniform int u_encodeSrgb;     // 1: encode output RGB to sRGB
uniform int u_premultiply;    // 1: input alpha is straight, premultiply
uniform int u_unpremultiply;  // 1: input alpha is premultiplied, output straight
uniform mat4 u_colorMatrix;   // applied to linear RGB (identity by default)
varying vec2 v_uv;

void main() {
  vec4 c = texture2D(u_image, v_uv);
  if (u_unpremultiply == 1) c = unpremultiply(c);
  if (u_decodeSrgb == 1) c.rgb = srgbToLinear(c.rgb);
  c.rgb = (u_colorMatrix * vec4(c.rgb, 1.0)).rgb;
  if (u_encodeSrgb == 1) c.rgb = linearToSrgb(c.rgb);
  if (u_premultiply == 1) c = premultiply(c);
  gl_FragColor = c;
}
