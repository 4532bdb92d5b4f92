// Weighted base for the normalised convolution that estimates the glare-free
// tone around each pixel: (base * w, w), w = the piece (1 without a matte)
// less its highlights, and, from the second iteration on, 0 on pixels
// elevated above the previous estimate. A Gaussian blur then holds
// sum(w * base) in rgb and sum(w) in alpha.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_base;
uniform sampler2D u_highlightMap; // (h * m, m, b * m)
uniform sampler2D u_highlights;   // the same blurred at the surround radius
uniform sampler2D u_surround;     // previous iteration's blurred weights
uniform int u_hasSurround;
uniform float u_excess;
uniform int u_byPiece;            // 1: weigh by the piece too (the wide tone, below)
varying vec2 v_uv;

void main() {
  vec3 base = texture2D(u_base, v_uv).rgb;
  vec4 map = texture2D(u_highlightMap, v_uv);
  float w = map.g - glareMapHighlight(map, texture2D(u_highlights, v_uv));
  // The wide tone weighs each pixel by how surely it is piece: a trimap's
  // uncertain band (0.5) around a wire on black is mostly black, and at half
  // weight it pulled the tone of pale gold wire to grey. The near tone of a
  // bloom on a thin strand wants the backdrop around it and keeps the band.
  if (u_byPiece == 1) w *= map.g;
  if (u_hasSurround == 1) {
    vec4 s = texture2D(u_surround, v_uv);
    if (s.a > 1e-6) w *= 1.0 - glareElevation(base, s.rgb / s.a, u_excess);
  }
  gl_FragColor = vec4(base * w, w);
}
