// Per-pixel terms of a least-squares fit, over the backdrop (off the matte,
// not clipped), of raw luminance against predicted scatter luminance:
// raw = b + k * scatter. Summed over the image (reduce_sum), the slope k is
// the veil amount: a plain backdrop brightens next to the piece only by veil.
// u_part 0 writes (w, w s, w i, w s^2), u_part 1 writes (w s i, 0, 0, 0).
#include "chunks/color"

uniform sampler2D u_image;       // raw
uniform sampler2D u_scattered;   // blurred veil source of the raw image
uniform sampler2D u_matte;
uniform int u_part;
varying vec2 v_uv;

void main() {
  vec3 raw = texture2D(u_image, v_uv).rgb;
  float s = luminance(texture2D(u_scattered, v_uv).rgb);
  float i = luminance(raw);
  // Clipped backdrop no longer shows how much veil it received.
  float w = (1.0 - texture2D(u_matte, v_uv).r) * (max(raw.r, max(raw.g, raw.b)) < 0.98 ? 1.0 : 0.0);
  gl_FragColor = u_part == 0 ? vec4(w, w * s, w * i, w * s * s) : vec4(w * s * i, 0.0, 0.0, 0.0);
}
