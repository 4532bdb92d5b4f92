// r: 1 at an unclipped highlight (a point of light on a bead or a wire),
// where the detection takes no bright defect: a bright thin feature above the
// defect threshold, standing above the far ring's mean by more than the
// threshold, whose light falls off around it (plan.ts, highlightRings): in at
// least u_highlightFalls of the directions the near ring's tap lies above the
// far ring's by u_highlightShare of that height, and at most
// u_highlightCrossing of the near taps come within that share of the peak (a
// wire's streak crosses the ring twice; white paper between dark links fills
// about half of it). 0 everywhere when glints are not protected.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
uniform sampler2D u_residual;
uniform sampler2D u_activity;
uniform vec2 u_activity_size;
uniform float u_floor;
uniform float u_glintGuard;
uniform float u_nearX[MAX_RING_TAPS];
uniform float u_nearY[MAX_RING_TAPS];
uniform float u_nearTaps;
uniform float u_farX[MAX_RING_TAPS];
uniform float u_farY[MAX_RING_TAPS];
uniform float u_farTaps;
uniform float u_highlightShare;
uniform float u_highlightCrossing;
uniform float u_highlightFalls;

float ringMean(vec2 p, float xs[MAX_RING_TAPS], float ys[MAX_RING_TAPS], float n) {
  float sum = 0.0;
  for (int i = 0; i < MAX_RING_TAPS; i++) {
    if (float(i) >= n) break;
    sum += texelAt(u_luma, u_luma_size, p + vec2(xs[i], ys[i])).r;
  }
  return sum / n;
}

void main() {
  vec2 p = currentTexel();
  float y = texelAt(u_luma, u_luma_size, p).r;
  float contrast = defectThreshold(bilinearCovering(u_activity, u_activity_size, u_luma_size).g, u_floor);
  float highlight = 0.0;
  if (u_glintGuard > 0.0 && texelAt(u_residual, u_luma_size, p).r > contrast) {
    float height = y - ringMean(p, u_farX, u_farY, u_farTaps);
    if (height > contrast) {
      // Directions in which the light falls from the near ring to the far one (tap i of each lies the
      // same way), and near taps close to the peak.
      float falls = 0.0;
      float crossing = 0.0;
      for (int i = 0; i < MAX_RING_TAPS; i++) {
        if (float(i) >= u_nearTaps) break;
        float near = texelAt(u_luma, u_luma_size, p + vec2(u_nearX[i], u_nearY[i])).r;
        float far = texelAt(u_luma, u_luma_size, p + vec2(u_farX[i], u_farY[i])).r;
        falls += step(u_highlightShare * height, near - far);
        crossing += step(y - u_highlightShare * height, near);
      }
      highlight = falls >= u_highlightFalls * u_nearTaps && crossing <= u_highlightCrossing * u_nearTaps ? 1.0 : 0.0;
    }
  }
  gl_FragColor = vec4(highlight, 0.0, 0.0, 1.0);
}
