// Range-level (O(1)) bilateral filter helpers (Yang, Tan & Ahuja, CVPR 2009).
// Needs chunks/color included before it (luminance, linearToSrgb1).
//
// The guide is the sRGB-encoded luminance clamped to 0..1, so one range sigma
// means the same visible contrast in shadows and highlights. The filter is a
// sum over guide levels spaced by `spacing` (<= range sigma): each level is a
// Gaussian blur of (rgb * w, w) with w the range weight of the pixel's guide to
// that level, and each output pixel interpolates linearly between the two
// levels around its own guide value (levelHat weights sum to 1).

float bilateralGuide(vec3 rgb) {
  return clamp(linearToSrgb1(luminance(rgb)), 0.0, 1.0);
}

float bilateralRangeWeight(float guide, float level, float rangeSigma) {
  float d = guide - level;
  return exp(-0.5 * d * d / (rangeSigma * rangeSigma));
}

float bilateralLevelHat(float guide, float level, float spacing) {
  return max(0.0, 1.0 - abs(guide - level) / spacing);
}
