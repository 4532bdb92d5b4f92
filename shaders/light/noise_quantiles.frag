// The two ends of the middle band of estimateNoise's cells (chunks/noise_cells)
// that light/noise_central averages: drawn 2x1, the left texel brackets the
// estimate ranked nearest to (1 - CENTRAL_SHARE) / 2 of the counted cells,
// the right one that nearest to (1 + CENTRAL_SHARE) / 2, each as (lo, hi):
// below lo fewer cells lie at or below it, at hi enough. Found by bisection
// on the value, one end per texel so that no fragment loops over the cells
// more than BISECTIONS times (llvmpipe returned 0 from one fragment that
// did both ends over 32 x 32 cells).
#include "chunks/noise_cells"

const float CENTRAL_SHARE = 0.2;
// A relative deviation (std over a brightness of at least 0.02) stays far
// below this; 32 halvings of it leave 1.5e-8.
const float MAX_ESTIMATE = 64.0;
const int BISECTIONS = 32;

void main() {
  float share = 0.5 + (gl_FragCoord.x < 1.0 ? -0.5 : 0.5) * CENTRAL_SHARE;
  float lo = 0.0;
  float hi = MAX_ESTIMATE;
  for (int i = 0; i < BISECTIONS; i++) {
    float mid = 0.5 * (lo + hi);
    vec3 n = noiseCellsIn(-1.0, mid);
    // The rank is compared with share * count - 0.5, which is never whole
    // for the shares used (tenths of a whole count): a whole number would
    // be a tie that float rounding decides either way.
    if (n.y > share * n.x - 0.5) hi = mid;
    else lo = mid;
  }
  gl_FragColor = vec4(lo, hi, 0.0, 1.0);
}
