// r: 1 at an unclipped highlight (a point of light on a bead or a wire),
// where the detection takes no bright defect: a bright thin feature above the
// defect threshold, standing above the far ring's mean by more than the
// threshold, whose light falls off around it (plan.ts, highlightRings): along
// at least u_highlightAxes of the axes through it, the near ring's taps on
// both sides lie above the far ring's by u_highlightShare of that height (a
// bead falls all round, a wire across its length), and at most
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
uniform float u_highlightAxes;

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
      // Axes along which the light falls from the near ring to the far one on both sides (tap i of
      // each ring lies the same way; the second half of a ring mirrors the first, so tap i's opposite
      // is read as -tap i), and near taps close to the peak.
      float axes = 0.0;
      float crossing = 0.0;
      float fall = u_highlightShare * height;
      for (int i = 0; i < MAX_RING_TAPS / 2; i++) {
        if (float(2 * i) >= u_nearTaps) break;
        vec2 nearTap = vec2(u_nearX[i], u_nearY[i]);
        vec2 farTap = vec2(u_farX[i], u_farY[i]);
        float nearA = texelAt(u_luma, u_luma_size, p + nearTap).r;
        float nearB = texelAt(u_luma, u_luma_size, p - nearTap).r;
        axes += step(fall, nearA - texelAt(u_luma, u_luma_size, p + farTap).r) * step(fall, nearB - texelAt(u_luma, u_luma_size, p - farTap).r);
        crossing += step(y - fall, nearA) + step(y - fall, nearB);
      }
      highlight = axes >= u_highlightAxes * 0.5 * u_nearTaps && crossing <= u_highlightCrossing * u_nearTaps ? 1.0 : 0.0;
    }
  }
  gl_FragColor = vec4(highlight, 0.0, 0.0, 1.0);
}
