// One round of a truncated mean of the relative local standard deviation:
// (std * w, 0, 0, w) with w = 1 where std is below twice the previous
// estimate (all pixels in the first round). Reduced to estimateNoise's
// cells, whose middle fifth's mean is the next estimate, a few rounds
// settle on the backdrop's noise level, ignoring the piece's edges.
#include "chunks/color"
uniform sampler2D u_stats;    // blurred (L, L^2)
uniform sampler2D u_previous; // 1x1 (estimate, 0, 0, 1) of the previous round
uniform int u_first;
varying vec2 v_uv;

void main() {
  vec2 s = texture2D(u_stats, v_uv).rg;
  float std = sqrt(max(s.y - s.x * s.x, 0.0)) / relativeBase(s.x);
  float w = 1.0;
  if (u_first == 0) {
    vec4 p = texture2D(u_previous, vec2(0.5));
    w = step(std, 2.0 * p.r / max(p.a, 1e-6));
  }
  gl_FragColor = vec4(std * w, 0.0, 0.0, w);
}
