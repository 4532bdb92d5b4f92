// The fill's texture layer is the image minus an edge-aware local mean over
// valid texels: a bilateral on the sRGB-encoded luminance (chunks/bilateral),
// Gaussian of sigma u_lowSigma, weighted by validity 1 - mask. Next to an edge
// the mean keeps to one side, so the layer holds texture, not the edge.
// Needs chunks/texel, chunks/color and chunks/bilateral included before it,
// and the uniforms below (texturePlan in src/passes/imperfections/plan.ts).

// Taps on each side; must match DETAIL_TAPS in src/passes/imperfections/plan.ts.
#define DETAIL_TAPS 4
uniform float u_lowSigma;
uniform float u_detailRadius;     // taps beyond it are skipped (2 lowSigma)
uniform float u_detailStep;       // texels between taps
uniform float u_detailRangeSigma; // on the sRGB-encoded luminance

// The mean of the valid texels around texel p whose luminance is near `guide`
// (the texel's own, or for a masked texel the smooth fill's); `fallback`
// where none are near.
vec3 edgeAwareValidMean(sampler2D image, sampler2D mask, vec2 size, vec2 p, float guide, vec3 fallback) {
  float inv2s2 = 0.5 / (u_lowSigma * u_lowSigma);
  vec4 sum = vec4(0.0);
  for (int j = -DETAIL_TAPS; j <= DETAIL_TAPS; j++)
    for (int i = -DETAIL_TAPS; i <= DETAIL_TAPS; i++) {
      vec2 o = vec2(float(i), float(j)) * u_detailStep;
      if (abs(o.x) > u_detailRadius || abs(o.y) > u_detailRadius) continue;
      vec3 s = texelAt(image, size, p + o).rgb;
      float w = (1.0 - texelAt(mask, size, p + o).r) * exp(-dot(o, o) * inv2s2) * bilateralRangeWeight(guide, bilateralGuide(s), u_detailRangeSigma);
      sum += vec4(s * w, w);
    }
  return sum.a > 1e-6 ? sum.rgb / sum.a : fallback;
}
