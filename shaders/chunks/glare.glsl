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

// Every channel of the raw (premultiplied) pixel at or above `level`; 0 when level >= 1.
float glareBlown(vec4 raw, float level) {
  if (level >= 1.0 || raw.a <= 0.0) return 0.0;
  vec3 straight = raw.rgb / raw.a;
  float lowest = min(straight.r, min(straight.g, straight.b));
  return smoothstep(level, level + 0.95 * (1.0 - level), lowest);
}

float glareHighlight(vec3 base, vec4 raw, float threshold, float blownLevel) {
  float h = smoothstep(threshold - 0.03, threshold, linearToSrgb1(luminance(base)));
  return max(h, glareBlown(raw, blownLevel));
}

// 0 at or below the surrounding tone, 1 once base/surround reaches `excess`.
float glareElevation(vec3 base, vec3 surround, float excess) {
  float ratio = luminance(base) / max(luminance(surround), 1e-4);
  return smoothstep(1.0 + 0.5 * (excess - 1.0), excess, ratio);
}

// The highlight map (highlights.frag) is (h * m, m, b * m): h = glareHighlight,
// m = piece, b = blown at bloomLevel; wideSum is that map blurred at the
// surround radius, so wideSum.g is the piece's share of the neighbourhood.
//
// How thin the piece is around a pixel: 1 where it fills 5-10% of the
// neighbourhood (a chain, a wire, a prong), 0 from 20% on. A strand is one or
// two pixels wide, so a blown spot several pixels across on it cannot be the
// strand's own tone: it is a bloom, and the strand's and backdrop's tone
// around it is what to restore. On a broad piece a blown area may be real
// (a specular band, skin, a wall) and only the threshold counts. Under 2% there
// is no strand, only a speck the keyer kept (a white dot on a white
// backdrop), and nothing to take a tone from: 0 too.
float glareThinness(vec4 wideSum) {
  return smoothstep(0.02, 0.05, wideSum.g) * (1.0 - smoothstep(0.1, 0.2, wideSum.g));
}

// Highlight of one pixel of the map: above the threshold, or blown on a thin piece.
float glareMapHighlight(vec4 map, vec4 wideSum) {
  return max(map.r, map.b * glareThinness(wideSum));
}

// The neighbourhood a share is taken of: the piece around a pixel on a broad
// piece, the whole neighbourhood on a thin one (a bloom is most of the strand
// around it, yet small).
float glareShareOf(vec4 wideSum) {
  return mix(max(wideSum.g, 1e-6), 1.0, glareThinness(wideSum));
}

// How sure a highlight is a hotspot rather than a large bright area (a white
// backdrop without a matte, a sunlit wall): 1 while highlights fill under
// ~1/4 of the piece around it, 0 from ~1/3.
float glareCompactness(vec4 wideSum) {
  float highlight = wideSum.r + wideSum.b * glareThinness(wideSum);
  return 1.0 - smoothstep(0.2, 0.35, highlight / glareShareOf(wideSum));
}

