// Glare detection shared by the glare/ shaders. Needs chunks/color.
//
// A pixel of the edge-preserving base is "elevated" when its luminance
// exceeds the glare-free tone of its surroundings by more than the excess
// ratio (veil), and "highlight" when its encoded luminance passes the
// threshold (hotspots, blown areas; a 0.03 ramp below it).

float glareHighlight(vec3 base, float threshold) {
  return smoothstep(threshold - 0.03, threshold, linearToSrgb1(luminance(base)));
}

// 0 at or below the surrounding tone, 1 once base/surround reaches `excess`.
float glareElevation(vec3 base, vec3 surround, float excess) {
  float ratio = luminance(base) / max(luminance(surround), 1e-4);
  return smoothstep(1.0 + 0.5 * (excess - 1.0), excess, ratio);
}
