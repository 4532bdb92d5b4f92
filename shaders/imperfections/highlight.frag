// r: 1 at an unclipped highlight (a point of light on a bead or a wire),
// where the detection takes no bright defect: a bright thin feature above the
// defect threshold, standing above the far ring's mean by more than the
// threshold, whose light falls off around it (plan.ts, highlightRings): along
// at least u_highlightAxes of the axes through it, the near ring's taps on
// both sides lie above the far ring's by u_highlightShare of that height (a
// bead falls all round, a wire across its length), and at most
// u_highlightCrossing of the near taps come within that share of the peak (a
// wire's streak crosses the ring twice; white paper between dark links fills
// about half of it), and whose light is soft (plan.ts, highlightSoftness). b:
// the depth of a dark thin feature whose shade falls off around it in the
// same way and that is soft (plan.ts, shadeSoftness: a defocused print, a
// blurred leaf's vein); -g: the depth of every dark
// candidate. detect_combine.frag keeps dark candidates where the deepest one
// within reach is such shade. 0 everywhere when glints are not protected.
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
// The outer isolation ring (radius squareRadius) and plan.ts's shadeSoftness and highlightSoftness.
uniform float u_edgeX[MAX_RING_TAPS];
uniform float u_edgeY[MAX_RING_TAPS];
uniform float u_edgeTaps;
uniform float u_shadeSoftness;
uniform float u_highlightSoftness;

// Mean luma over the n whole-texel taps (xs, ys) of a square ring around p.
float ringMean(vec2 p, float xs[MAX_RING_TAPS], float ys[MAX_RING_TAPS], float n) {
  float sum = 0.0;
  for (int i = 0; i < MAX_RING_TAPS; i++) {
    if (float(i) >= n) break;
    sum += texelAt(u_luma, u_luma_size, p + vec2(xs[i], ys[i])).r;
  }
  return sum / n;
}

// 1 where a thin feature of the given polarity (+1 bright, -1 dark), `height` beyond the far ring's
// mean, has light (or shade) that falls off around it.
float fallsOff(vec2 p, float y, float polarity, float height) {
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
    float nearA = polarity * texelAt(u_luma, u_luma_size, p + nearTap).r;
    float nearB = polarity * texelAt(u_luma, u_luma_size, p - nearTap).r;
    axes += step(fall, nearA - polarity * texelAt(u_luma, u_luma_size, p + farTap).r) * step(fall, nearB - polarity * texelAt(u_luma, u_luma_size, p - farTap).r);
    crossing += step(polarity * y - fall, nearA) + step(polarity * y - fall, nearB);
  }
  return axes >= u_highlightAxes * 0.5 * u_nearTaps && crossing <= u_highlightCrossing * u_nearTaps ? 1.0 : 0.0;
}

void main() {
  vec2 p = currentTexel();
  float y = texelAt(u_luma, u_luma_size, p).r;
  float contrast = defectThreshold(bilinearCovering(u_activity, u_activity_size, u_luma_size).g, u_floor);
  vec2 residual = texelAt(u_residual, u_luma_size, p).rg;
  float farMean = ringMean(p, u_farX, u_farY, u_farTaps);
  float edgeMean = ringMean(p, u_edgeX, u_edgeY, u_edgeTaps);
  bool guard = u_glintGuard > 0.0;
  // A bright thin feature standing above the far ring by more than the threshold, whose light
  // falls off around it and is soft: at squareRadius it still stands above the far ring by more
  // than 1 - u_highlightSoftness of its height (dust on a blurred bright patch ends in a step).
  float height = y - farMean;
  bool soft = y - edgeMean < u_highlightSoftness * height;
  float bright = guard && residual.r > contrast && height > contrast && soft ? fallsOff(p, y, 1.0, height) : 0.0;
  // A dark candidate's depth below the far ring; shade: one deeper than the threshold whose shade
  // falls off around it and that is soft (a sharp speck in a soft dimple falls off too, but ends
  // inside squareRadius).
  float depth = farMean - y;
  float candidate = guard && residual.g > contrast ? max(depth, 0.0) : 0.0;
  bool shade = depth > contrast && candidate > 0.0 && fallsOff(p, y, -1.0, depth) > 0.0
    && edgeMean - y < u_shadeSoftness * depth;
  // The morph's dilation takes the max of r and b and the min of g: over a feature's width, r and b
  // become the nearest highlight and the deepest shade, -g the deepest dark candidate.
  gl_FragColor = vec4(bright, -candidate, shade ? candidate : 0.0, 1.0);
}
