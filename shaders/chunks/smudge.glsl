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
