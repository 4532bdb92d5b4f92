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

// Hue test of the glare-free tone. The tone is taken from the glare-free piece
// around a hotspot; where the metal there is itself near the threshold (white
// metal), what is left is another material, e.g. the sapphire in a silver
// bezel, and the hotspot was filled blue. The piece's own colour around the
// pixel (all of it, highlights included, blurred at the reach) tells: a tone
// of that hue, up to GLARE_HUE_SATURATION times as saturated (the hotspot's
// white dilutes gold around it), fits; another hue does not. Chromaticity is
// rgb / (r + g + b) less grey; the mismatch is the distance from the tone's
// to the nearest allowed one, and the flattening fades out between the two
// GLARE_HUE_MISMATCH levels.
const float GLARE_HUE_SATURATION = 4.0;
const vec2 GLARE_HUE_MISMATCH = vec2(0.03, 0.08);

vec3 glareChromaticity(vec3 c) {
  return c / max(c.r + c.g + c.b, 1e-6) - vec3(1.0 / 3.0);
}

float glareSameHue(vec3 tone, vec3 around) {
  vec3 t = glareChromaticity(tone);
  vec3 a = glareChromaticity(around);
  float along = clamp(dot(t, a) / max(dot(a, a), 1e-9), 0.0, GLARE_HUE_SATURATION);
  return 1.0 - smoothstep(GLARE_HUE_MISMATCH.x, GLARE_HUE_MISMATCH.y, length(t - along * a));
}

// Veil amount: the least-squares slope from the 1x1 sums of glare/veil_stats,
// a = (sum w, sum w s, sum w i, sum w s^2), swsi = sum w s i; in [0, 1].
float glareFittedVeil(vec4 a, float swsi) {
  float covariance = a.x * swsi - a.y * a.z;
  float variance = a.x * a.w - a.y * a.y;
  return variance > 1e-12 * a.x * a.x ? clamp(covariance / variance, 0.0, 1.0) : 0.0;
}

// The piece's veil amount: fitted from the 1x1 sums (autoVeil 1) or given.
float glareVeilAmount(sampler2D statsA, sampler2D statsB, int autoVeil, float veil) {
  return autoVeil == 1 ? glareFittedVeil(texture2D(statsA, vec2(0.5)), texture2D(statsB, vec2(0.5)).r) : veil;
}

// The backdrop's veil from the piece's dark floor (glare/veil_floor). Nothing
// under a veil is darker than the veil: raw - pieceVeil >= b * S_b at every
// pixel, S_b being the scattered backdrop light, so the darkest piece pixels
// bound the backdrop's amount b from above (the dark channel prior, He, Sun
// & Tang 2009). Witnesses are piece pixels (matte >= 0.5, full weight at 1)
// where S_b's luminance reaches GLARE_FLOOR_MIN_SCATTER (full weight at
// GLARE_FLOOR_FULL_SCATTER): elsewhere the ratio says nothing. Their ratio
// min_c(raw - pieceVeil) / lum(S_b) is counted below 15 thresholds
// t_i = veil * i / 14; the 16th count is their total.
// Both weights ramp, and the amount fades in as the witnesses' total weight
// rises to GLARE_FLOOR_MIN_WEIGHT pixels: otherwise a pixel at a cut-off,
// which one GPU's rounding counts and another's does not, is the whole
// evidence and decides the amount (browser parity saw 10/255 of veil).
const float GLARE_FLOOR_MIN_SCATTER = 0.02;
const float GLARE_FLOOR_FULL_SCATTER = 0.03;
const float GLARE_FLOOR_MIN_WEIGHT = 4.0;

float glareFloorWitness(float matte, float scatter) {
  return smoothstep(0.5, 1.0, matte) * smoothstep(GLARE_FLOOR_MIN_SCATTER, GLARE_FLOOR_FULL_SCATTER, scatter);
}

// A backdrop blown out over much of its area (every channel at or above
// GLARE_BACKDROP_BLOWN) is the frame's dominant light source, and its true
// brightness is above what the photo recorded. The lift of the piece's dark
// floor is then credited to the backdrop first: the piece's veil, an upper
// bound predicted from the raw image, is not subtracted in the ratio (with it
// subtracted, a veil from the backdrop that clipped it is read as none). The
// factor on the piece's veil in the ratio: 1, falling to 0 as the blown share
// of the backdrop (blown.r / blown.g, glare/blown_backdrop summed to 1x1)
// rises from share / 2 to share; share >= 1 keeps it at 1.
const float GLARE_BACKDROP_BLOWN = 0.98;

float glarePieceVeilInFloor(vec4 blown, float share) {
  if (share >= 1.0) return 1.0;
  return 1.0 - smoothstep(0.5 * share, share, blown.r / max(blown.g, 1e-6));
}

// A blown backdrop beside the piece is no hotspot on it. The matte (a keyer's
// trimap) reaches a few pixels onto the backdrop, and where the backdrop is
// blown those pixels are highlights of the piece: they were pulled to the
// piece's tone, a dark halo along every edge of an overexposed white shot.
// So flattening fades out where, within the reach, a share of 0.1-0.3 of the
// pixels is blown backdrop (off the matte, every channel of the photo at or
// above GLARE_BACKDROP_BLOWN; the highlight map's alpha, see highlights.frag).
float glareBesideBlownBackdrop(float share) {
  return 1.0 - smoothstep(0.1, 0.3, share);
}

float glareFloorThreshold(int i, float veil) {
  return veil * float(i) / 14.0;
}

// The ratio below which `fraction` of the witnesses lie, interpolated between
// thresholds: 0 when that many are below 0 (nothing veiled them), the piece's
// amount `veil` when fewer are below it; faded in with the witnesses' total
// weight, so 0 without witnesses.
float glareFloorAmount(vec4 c0, vec4 c1, vec4 c2, vec4 c3, float veil, float fraction) {
  float c[16];
  c[0] = c0.x; c[1] = c0.y; c[2] = c0.z; c[3] = c0.w;
  c[4] = c1.x; c[5] = c1.y; c[6] = c1.z; c[7] = c1.w;
  c[8] = c2.x; c[9] = c2.y; c[10] = c2.z; c[11] = c2.w;
  c[12] = c3.x; c[13] = c3.y; c[14] = c3.z; c[15] = c3.w;
  float target = fraction * c[15];
  if (c[15] <= 0.0 || c[0] > target) return 0.0;
  float evidence = smoothstep(0.0, GLARE_FLOOR_MIN_WEIGHT, c[15]);
  for (int i = 1; i < 15; i++) {
    if (c[i] > target) return evidence * mix(glareFloorThreshold(i - 1, veil), glareFloorThreshold(i, veil), (target - c[i - 1]) / (c[i] - c[i - 1]));
  }
  return evidence * veil;
}
