// Per-pixel terms of the backdrop's blown share (chunks/glare,
// glarePieceVeilInFloor): (backdrop weight x blown, backdrop weight), the
// backdrop being the light off the matte. Summed by core/reduce_sum.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_image;
uniform sampler2D u_matte;
varying vec2 v_uv;

void main() {
  float backdrop = 1.0 - texture2D(u_matte, v_uv).r;
  gl_FragColor = vec4(backdrop * glareBlown(texture2D(u_image, v_uv), GLARE_BACKDROP_BLOWN), backdrop, 0.0, 1.0);
}
