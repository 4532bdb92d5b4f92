// Decides, per texel, how surely it belongs to a defect (0..1).
// A candidate is a feature thinner than the maximum size (square-opening
// residual) whose contrast clears the activity-adaptive threshold, or one
// that is also shorter than the line segments in every direction (short-
// feature residual) and clears the short-feature threshold, and that does
// not lie on a long connected thin structure of its own polarity at the
// coarse level (extent), nor next to a long one of the other polarity (the
// bright holes of a dark chain's links, the dark gaps of a bright one; for a
// speck only one that encloses it, see extentAround),
// that is not restored by reconstruction (connected to a larger structure at
// least as bright/dark: facet corners, prong tips). Glints are long
// structure for the extent test (see extent_init.frag).
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
uniform sampler2D u_residual;
uniform sampler2D u_reconstructed;
uniform sampler2D u_activity;
uniform vec2 u_activity_size;
uniform sampler2D u_extentBright;
uniform vec2 u_extentBright_size;
uniform sampler2D u_extentDark;
uniform float u_floor;
uniform float u_maxExtent;
// Fine texels per coarse texel of the extent level (a power of two).
uniform float u_extentBlock;

void main() {
  vec2 p = currentTexel();
  float y = texelAt(u_luma, u_luma_size, p).r;
  // Contrast left after reconstruction (bright: Y - opening, dark: closing - Y) of thin and short features.
  vec4 rec = texelAt(u_reconstructed, u_luma_size, p);
  vec2 activity = bilinearCovering(u_activity, u_activity_size, u_luma_size).rg;
  float threshold = defectThreshold(activity.x, u_floor);
  float shortThreshold = defectThreshold(activity.y, u_floor);
  // The block the max reductions put this texel in; on an odd size the last coarse texel covers one
  // fine column or row, so scaling by the size ratio would drift by up to half a block.
  vec2 coarseTexel = floor(p / u_extentBlock);
  vec2 own = vec2(extentAt(u_extentBright, u_extentBright_size, coarseTexel), extentAt(u_extentDark, u_extentBright_size, coarseTexel));
  bvec2 compact = lessThanEqual(own, vec2(COMPACT_EXTENT));
  vec2 extent = max(own, vec2(extentAround(u_extentDark, u_extentBright_size, coarseTexel, compact.x),
                              extentAround(u_extentBright, u_extentBright_size, coarseTexel, compact.y)));
  vec2 isolated = 1.0 - smoothstep(vec2(u_maxExtent + 1.5), vec2(u_maxExtent + 3.5), extent);
  vec2 strong = max(smoothstep(vec2(threshold), vec2(MASK_RAMP * threshold), vec2(y - rec.r, rec.b - y)),
                    smoothstep(vec2(shortThreshold), vec2(MASK_RAMP * shortThreshold), vec2(y - rec.g, rec.a - y))) * isolated;
  float m = max(strong.x, strong.y);
  gl_FragColor = vec4(m, m, m, 1.0);
}
