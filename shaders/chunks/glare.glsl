// Glare detection shared by the glare/ shaders. Needs chunks/color.
//
// A pixel of the edge-preserving base is "elevated" when its luminance
// exceeds the glare-free tone of its surroundings by more than the excess
// ratio (veil), and "highlight" when its encoded luminance passes the
// threshold (hotspots, blown areas; a 0.03 ramp below it) or when the photo
// itself is blown out there: every channel of the raw pixel at or above
// blownLevel. A clipped hotspot is a plateau at 1 - veil once the veil is
// subtracted, which can fall below the threshold although nothing of the
// metal's tone survives in it; clipping in all channels also tells it from
// a bright but coloured band of real gold. blownLevel >= 1 turns the test off.

float glareHighlight(vec3 base, vec4 raw, float threshold, float blownLevel) {
  float h = smoothstep(threshold - 0.03, threshold, linearToSrgb1(luminance(base)));
  if (blownLevel >= 1.0 || raw.a <= 0.0) return h;
  vec3 straight = raw.rgb / raw.a;
  float lowest = min(straight.r, min(straight.g, straight.b));
  return max(h, smoothstep(blownLevel, blownLevel + 0.95 * (1.0 - blownLevel), lowest));
}

// 0 at or below the surrounding tone, 1 once base/surround reaches `excess`.
float glareElevation(vec3 base, vec3 surround, float excess) {
  float ratio = luminance(base) / max(luminance(surround), 1e-4);
  return smoothstep(1.0 + 0.5 * (excess - 1.0), excess, ratio);
}

// How sure a highlight is a hotspot rather than a large bright area (a white
// backdrop without a matte, a sunlit wall): 1 while highlights fill under
// ~1/4 of the piece around it, 0 from ~1/3 (wideSum = highlight map blurred
// at the surround radius: r = highlight share x piece, g = piece).
float glareCompactness(vec4 wideSum) {
  return 1.0 - smoothstep(0.2, 0.35, wideSum.r / max(wideSum.g, 1e-6));
}
