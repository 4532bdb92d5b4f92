// Straight ridges, which the structure guard's reconstruction does not grow
// through: r = 1 where the texel lies on a segment of 2 u_half + 1 taps, at
// some orientation and not necessarily centred on it, every tap of which is
// brighter than both of its sides by more than max(u_floor, u_fraction x the
// texel's bright thin-feature contrast); g the same for dark (darker than
// both sides). A scratch is such a ridge up to its ends; a facet corner or
// prong tip widens towards its structure or is shorter than the segment.
// Orientation i has its sides at +-(u_acrossX[i], u_acrossY[i]) and its taps
// at the texel and +-(u_alongX[i * MAX_TAPS + k], u_alongY[...]) for
// k < 2 u_half: whole-texel offsets (ridgeAcross, ridgeAlong in plan.ts) that
// the float64 reference mirrors exactly.
#include "chunks/texel"
// ORIENTATIONS: LINE_ORIENTATIONS, MAX_TAPS: MAX_RIDGE_TAPS in plan.ts.
#define ORIENTATIONS 8
#define MAX_TAPS 8
#define MAX_HALF 4
#define ALONG_SIZE 64
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
uniform sampler2D u_residual;
uniform float u_acrossX[ORIENTATIONS];
uniform float u_acrossY[ORIENTATIONS];
uniform float u_alongX[ALONG_SIZE];
uniform float u_alongY[ALONG_SIZE];
uniform float u_half;
uniform float u_fraction;
uniform float u_floor;

// (how much brighter, how much darker) the texel at q is than both of its sides.
vec2 aboveSides(vec2 q, vec2 n) {
  float y = texelAt(u_luma, u_luma_size, q).r;
  vec2 d = y - vec2(texelAt(u_luma, u_luma_size, q + n).r, texelAt(u_luma, u_luma_size, q - n).r);
  return vec2(min(d.x, d.y), min(-d.x, -d.y));
}

void main() {
  vec2 p = currentTexel();
  int h = int(u_half);
  vec2 best = vec2(-1e9);
  for (int i = 0; i < ORIENTATIONS; i++) {
    vec2 n = vec2(u_acrossX[i], u_acrossY[i]);
    // Taps -2h..2h along the line at index MAX_TAPS + k.
    vec2 v[2 * MAX_TAPS + 1];
    for (int k = 0; k < 2 * MAX_TAPS + 1; k++) v[k] = vec2(-1e9);
    v[MAX_TAPS] = aboveSides(p, n);
    for (int k = 0; k < MAX_TAPS; k++) {
      if (k >= 2 * h) break;
      vec2 t = vec2(u_alongX[i * MAX_TAPS + k], u_alongY[i * MAX_TAPS + k]);
      v[MAX_TAPS + k + 1] = aboveSides(p + t, n);
      v[MAX_TAPS - k - 1] = aboveSides(p - t, n);
    }
    // Windows of 2h + 1 taps centred on c = -h..h, all containing the texel.
    for (int c = -MAX_HALF; c <= MAX_HALF; c++) {
      if (c < -h || c > h) continue;
      vec2 m = vec2(1e9);
      for (int j = -MAX_HALF; j <= MAX_HALF; j++) {
        if (j < -h || j > h) continue;
        m = min(m, v[MAX_TAPS + c + j]);
      }
      best = max(best, m);
    }
  }
  vec2 contrast = texelAt(u_residual, u_luma_size, p).rg;
  // best > level (strictly, as in the reference).
  gl_FragColor = vec4(1.0 - step(best, max(vec2(u_floor), u_fraction * contrast)), 0.0, 1.0);
}
