// Shared by the defect shaders: each writes the image with its defect applied
// in rgb and the mask of where it acted in alpha, both from the same
// per-pixel weight, so a mask of 0 means the pixel is untouched. (The input's
// alpha is ignored: shots are opaque; addDefects restores a photo's alpha.)
#include "chunks/color"

uniform sampler2D u_image;
uniform vec2 u_resolution;
varying vec2 v_uv;

vec4 defectResult(vec4 original, vec3 changed, float weight) {
  if (weight <= 0.0) return vec4(original.rgb, 0.0);
  // A sensor clips: values leave the camera in 0..1.
  return vec4(clamp(changed, 0.0, 1.0), min(weight, 1.0));
}

// Coverage of a pixel by a disc or stroke of half-width r at distance d
// (a one-pixel box filter, so thin strokes keep their area).
float strokeCoverage(float r, float d) {
  return clamp(r - d + 0.5, 0.0, 1.0) * min(2.0 * r, 1.0);
}

// Compact bump: 1 at the centre, 0 from q = 1 on (no long Gaussian tails, so
// masks are exactly zero where nothing changed).
float bump(float q) {
  float s = max(1.0 - q * q, 0.0);
  return s * s;
}
