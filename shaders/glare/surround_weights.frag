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
varying vec2 v_uv;

void main() {
  vec3 base = texture2D(u_base, v_uv).rgb;
  vec4 map = texture2D(u_highlightMap, v_uv);
  float w = map.g - glareMapHighlight(map, texture2D(u_highlights, v_uv));
  if (u_hasSurround == 1) {
    vec4 s = texture2D(u_surround, v_uv);
    if (s.a > 1e-6) w *= 1.0 - glareElevation(base, s.rgb / s.a, u_excess);
  }
  gl_FragColor = vec4(base * w, w);
}
