// Helpers of the smudge stage (shaders/imperfections/smudge_*.frag). Levels are
// display values (sRGB-encoded straight colour), so one threshold means the
// same visibility in shadows and highlights.
#include "chunks/color"

vec3 smudgeDisplay(vec4 premultiplied) {
  return linearToSrgb(unpremultiply(premultiplied).rgb);
}

// The blotch: low-passed colour minus the surround estimate (u_surround holds
// the weighted sum in rgb and the weight in a; no weight, no estimate).
vec3 smudgeDeviation(vec4 low, vec4 surround) {
  return surround.a > 1e-4 ? low.rgb - surround.rgb / surround.a : vec3(0.0);
}

// Rank 2 (0-based) of nine values: the one with exactly two smaller ones (ties broken by index).
float thirdLowest(float v[9]) {
  float third = 0.0;
  for (int i = 0; i < 9; i++) {
    int below = 0;
    for (int j = 0; j < 9; j++)
      if (v[j] < v[i] || (v[j] == v[i] && j < i)) below++;
    if (below == 2) third = v[i];
  }
  return third;
}
