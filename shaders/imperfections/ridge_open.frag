// Straight ridges, step 2 of 2, which the structure guard's reconstruction
// does not grow through: r = 1 where the texel lies on a segment of
// 2 u_half + 1 taps, at orientation A or B and not necessarily centred on
// it, every tap of which is brighter than both of its sides by more than
// max(u_floor, u_fraction x the texel's bright thin-feature contrast); g the
// same for dark (darker than both sides). A scratch is such a ridge up to its
// ends; a facet corner or prong tip widens towards its structure or is
// shorter than the segment. The side margins of every tap come from
// ridge_margin.frag (u_margins, padded by u_pad texels: A in rg, B in ba);
// here they are opened along the line: the smallest margin of each window of
// 2 u_half + 1 taps that contains the texel, the largest of those. Taps are
// the texel and +-(u_alongAx[k], u_alongAy[k]) (B: u_alongB...) for
// k < 2 u_half: whole-texel offsets (ridgeAlong in plan.ts) that the float64
// reference mirrors exactly. Where u_accumulate = 1 the result is or-ed with
// u_previous, the other orientations' (a ridge at any orientation counts).
#include "chunks/texel"
// MAX_TAPS: MAX_RIDGE_TAPS in plan.ts.
#define MAX_TAPS 8
#define MAX_HALF 4
uniform sampler2D u_margins;
uniform vec2 u_margins_size;
uniform sampler2D u_residual;
uniform vec2 u_residual_size;
uniform sampler2D u_previous;
uniform float u_alongAx[MAX_TAPS];
uniform float u_alongAy[MAX_TAPS];
uniform float u_alongBx[MAX_TAPS];
uniform float u_alongBy[MAX_TAPS];
uniform float u_half;
uniform float u_pad;
uniform float u_fraction;
uniform float u_floor;
uniform float u_accumulate;

vec4 marginsAt(vec2 q) {
  return texelAt(u_margins, u_margins_size, q + u_pad);
}

void main() {
  vec2 p = currentTexel();
  int h = int(u_half);
  // Taps -2h..2h along the lines at index MAX_TAPS + k: (A bright, A dark, B bright, B dark).
  vec4 v[2 * MAX_TAPS + 1];
  for (int k = 0; k < 2 * MAX_TAPS + 1; k++) v[k] = vec4(-1e9);
  v[MAX_TAPS] = marginsAt(p);
  for (int k = 0; k < MAX_TAPS; k++) {
    if (k >= 2 * h) break;
    vec2 a = vec2(u_alongAx[k], u_alongAy[k]);
    vec2 b = vec2(u_alongBx[k], u_alongBy[k]);
    v[MAX_TAPS + k + 1] = vec4(marginsAt(p + a).rg, marginsAt(p + b).ba);
    v[MAX_TAPS - k - 1] = vec4(marginsAt(p - a).rg, marginsAt(p - b).ba);
  }
  // Windows of 2h + 1 taps centred on c = -h..h, all containing the texel.
  vec4 best = vec4(-1e9);
  for (int c = -MAX_HALF; c <= MAX_HALF; c++) {
    if (c < -h || c > h) continue;
    vec4 m = vec4(1e9);
    for (int j = -MAX_HALF; j <= MAX_HALF; j++) {
      if (j < -h || j > h) continue;
      m = min(m, v[MAX_TAPS + c + j]);
    }
    best = max(best, m);
  }
  vec2 contrast = texelAt(u_residual, u_residual_size, p).rg;
  // max(best A, best B) > level (strictly, as in the reference).
  vec2 ridge = 1.0 - step(max(best.rg, best.ba), max(vec2(u_floor), u_fraction * contrast));
  if (u_accumulate > 0.5) ridge = max(ridge, texelAt(u_previous, u_residual_size, p).rg);
  gl_FragColor = vec4(ridge, 0.0, 1.0);
}
