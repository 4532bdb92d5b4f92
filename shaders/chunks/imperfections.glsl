// Shared by the imperfection detection and fill shaders.
#include "chunks/extent"

// Validity below this mask value: texels the fill may read as surroundings.
const float VALID_MASK = 0.05;

// Colour of a validity-weighted blur (rgb x w, w): the local mean of valid
// texels, or `fallback` where none are near.
vec3 validMean(vec4 weighted, vec3 fallback) {
  return weighted.a > 1e-6 ? weighted.rgb / weighted.a : fallback;
}

// Perceptual luma from which a texel counts as clipped (a glint's core); CLIPPED in imperfections-ref.ts.
const float CLIPPED = 0.98;

// Taps of a square ring (isolation and highlight rings), at most; must match MAX_RING_TAPS in plan.ts.
#define MAX_RING_TAPS 32

// Extent (coarse texels) from which a piece of thin structure is elongated
// and joins others across a one-texel gap (extent_grow.frag).
const float LINK_EXTENT = 4.0;
// Extent (coarse texels) up to which a candidate's own piece is compact, a speck.
const float COMPACT_EXTENT = 2.0;
// Half-size of the box a clipped glint core starts with: longer than any scratch.
const float GLINT_EXTENT = 1e4;

// The mask rises from 0 at the threshold T to 1 at MASK_RAMP x T. A wider
// ramp left defects just above T half healed (a faint grey ghost where the
// textured backdrop's activity is close to the dust's contrast).
const float MASK_RAMP = 1.2;

// Contrast a defect must exceed: the local activity (tail level of the thin-
// feature residual in the quieter nearby blocks), never below a floor.
float defectThreshold(float activity, float floorLevel) {
  return max(floorLevel, activity);
}

// Extent of the feature box at `texel`; -EXTENT_NONE where there is no thin feature.
float extentAt(sampler2D boxes, vec2 size, vec2 texel) {
  vec4 b = texelAt(boxes, size, texel);
  return b.r < EXTENT_NONE ? boxExtent(b) : -EXTENT_NONE;
}

// Extent of the other polarity's structure that a candidate at `texel` must
// not be next to. Beside an elongated candidate: the largest box of the 3x3
// around it (a dark link's bright hole, an engraving's stroke beside the
// white between strokes). Beside a compact one (a speck): the box at it, or
// the smaller of two on opposite sides within 2 texels (a chain link
// encloses its hole); a speck beside a single edge line is not enclosed.
float extentAround(sampler2D boxes, vec2 size, vec2 texel, bool compact) {
  float e = extentAt(boxes, size, texel);
  if (!compact) {
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) e = max(e, extentAt(boxes, size, texel + vec2(float(dx), float(dy))));
    return e;
  }
  for (int dy = 0; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++) {
      if (dy == 0 && dx <= 0) continue;
      vec2 d = vec2(float(dx), float(dy));
      e = max(e, min(extentAt(boxes, size, texel + d), extentAt(boxes, size, texel - d)));
    }
  return e;
}
