// Straight ridges, step 1 of 2 (step 2: ridge_open.frag): how far a texel
// stands out from both of its sides at two orientations, A and B:
// (min(Y - Y(+n), Y - Y(-n)), min(Y(+n) - Y, Y(-n) - Y)) in rg for A's
// offset n across the line (u_acrossA), in ba for B's: above both sides
// (bright), below both (dark). The output is larger than the luma by u_pad
// texels on every side and holds texel q = currentTexel() - u_pad, its reads
// clamped to the edge: ridge_open.frag then reads each tap, also beyond the
// frame, as the clamped reads of a texel there (and the float64 reference)
// see it, and every value is the same float32 difference, stored exactly in
// a float texture. (A half-float pool rounds the margins, monotonically: only
// a texel whose largest margin rounds across its level can change.)
#include "chunks/texel"
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
uniform vec2 u_acrossA;
uniform vec2 u_acrossB;
uniform float u_pad;

vec2 sideMargins(float y, vec2 q, vec2 n) {
  vec2 d = y - vec2(texelAt(u_luma, u_luma_size, q + n).r, texelAt(u_luma, u_luma_size, q - n).r);
  return vec2(min(d.x, d.y), min(-d.x, -d.y));
}

void main() {
  vec2 q = currentTexel() - u_pad;
  float y = texelAt(u_luma, u_luma_size, q).r;
  gl_FragColor = vec4(sideMargins(y, q, u_acrossA), sideMargins(y, q, u_acrossB));
}
