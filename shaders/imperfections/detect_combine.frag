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
// structure for the extent test (see extent_init.frag). A short candidate
// the extent test joined to surrounding texture is taken anyway where it
// stands far above everything on the rings around it (standsOut).
// A dark texel proven isolated at the fine scale (ringDepth) is taken
// without the threshold and the extentAround test: its own block must hold
// no long dark structure (a chain's dark link dots are joined into one), nor
// long bright structure with another compact dark dot near (darkDotNear).
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
// Thin-feature residual (r bright, g dark) before reconstruction: the texture standsOut counts.
uniform sampler2D u_residual;
uniform sampler2D u_reconstructed;
uniform sampler2D u_activity;
uniform vec2 u_activity_size;
uniform sampler2D u_extentBright;
uniform vec2 u_extentBright_size;
uniform sampler2D u_extentDark;
// Within a feature's width: r = 1 near a highlight (no bright defect there); b the deepest soft
// shade, -g the deepest dark candidate (highlight.frag).
uniform sampler2D u_falloff;
uniform float u_floor;
uniform float u_maxExtent;
// Fine texels per coarse texel of the extent level (a power of two).
uniform float u_extentBlock;
// Isolation rings (plan.ts, isolationRings): whole-texel taps, tap i + n/2 opposite tap i.
uniform float u_innerX[MAX_RING_TAPS];
uniform float u_innerY[MAX_RING_TAPS];
uniform float u_innerTaps;
uniform float u_outerX[MAX_RING_TAPS];
uniform float u_outerY[MAX_RING_TAPS];
uniform float u_outerTaps;
uniform float u_isolationFactor;
uniform float u_isolationFloor;
// Stand-out rings (plan.ts, standOutRings): whole-texel taps of up to six square rings, the
// ratio and density of the test, and the share of the threshold from which texture is structure.
#define MAX_STAND_OUT_TAPS 192
uniform float u_standX[MAX_STAND_OUT_TAPS];
uniform float u_standY[MAX_STAND_OUT_TAPS];
uniform float u_standTaps;
// Taps of the innermost ring (the first ones; tap i + n/2 opposite tap i).
uniform float u_standInnerTaps;
uniform float u_standOutRatio;
uniform float u_standOutDensity;
uniform float u_structureFraction;

// 1 where a feature box of this extent (coarse texels) is short enough to be a defect, 0 where it is long structure.
vec2 shortExtent(vec2 extent) {
  return 1.0 - smoothstep(vec2(u_maxExtent + 1.5), vec2(u_maxExtent + 3.5), extent);
}

// How far the texel's luma y lies below a ring around it (at most `cap`), as
// a multiple of the depth a speck must have there (> 1: an isolated dark
// speck). The ring is fitted with a plane (shading); the depth is measured
// from its second lowest texel and must clear max(isolationFloor, factor x
// the spread between the second lowest and the second highest), so texture
// and noise around the texel raise the bar. Where two opposite taps both lie
// below the plane by the floor, a line runs through the texel (a strand, a
// facet edge, a scratch, however faint): no speck.
float ringDepth(vec2 p, float y, float cap, float xs[MAX_RING_TAPS], float ys[MAX_RING_TAPS], float n) {
  // The taps, read once for the plane fit and the residuals.
  float e[MAX_RING_TAPS];
  float mean = 0.0;
  vec2 slope = vec2(0.0);
  float moment = 0.0;
  for (int i = 0; i < MAX_RING_TAPS; i++) {
    if (float(i) >= n) break;
    vec2 d = vec2(xs[i], ys[i]);
    e[i] = texelAt(u_luma, u_luma_size, p + d).r;
    mean += e[i];
    slope += d * e[i];
    moment += d.x * d.x;
  }
  mean /= n;
  // A square ring is symmetric under a quarter turn: sum dx^2 = sum dy^2, sum dx dy = 0.
  slope /= moment;
  float lo1 = 1e9, lo2 = 1e9, hi1 = -1e9, hi2 = -1e9, line = -1e9;
  for (int i = 0; i < MAX_RING_TAPS; i++) {
    if (float(i) >= n) break;
    vec2 d = vec2(xs[i], ys[i]);
    float r = e[i] - mean - dot(slope, d);
    if (r < lo1) { lo2 = lo1; lo1 = r; } else if (r < lo2) lo2 = r;
    if (r > hi1) { hi2 = hi1; hi1 = r; } else if (r > hi2) hi2 = r;
    // The opposite tap (i + n/2, which GLSL ES 1.0 cannot index) is read again.
    if (float(i) < 0.5 * n) line = max(line, -max(r, texelAt(u_luma, u_luma_size, p - d).r - mean + dot(slope, d)));
  }
  if (line >= u_floor) return 0.0;
  return min(lo2 - (y - mean), cap) / max(u_isolationFloor, u_isolationFactor * (hi2 - lo2));
}

// Coarse texels within which another compact dark piece is a dotted strand's next dot (DOT_REACH in detectRef).
#define DOT_REACH 3

// Whether a compact dark piece other than `ownBox` lies within DOT_REACH coarse texels of
// `texel`: the next dark dot of a pale dotted strand (its dots are compact and not joined).
bool darkDotNear(vec2 texel, vec4 ownBox) {
  for (int dy = -DOT_REACH; dy <= DOT_REACH; dy++)
    for (int dx = -DOT_REACH; dx <= DOT_REACH; dx++) {
      vec4 b = texelAt(u_extentDark, u_extentBright_size, texel + vec2(float(dx), float(dy)));
      if (b.r < EXTENT_NONE && boxExtent(b) <= COMPACT_EXTENT && any(notEqual(b, ownBox))) return true;
    }
  return false;
}

// Per polarity (x bright, y dark): 1 where a candidate of short contrast `c`
// stands out from the texture around it: c is at least u_standOutRatio times
// every candidate contrast of either polarity on the rings (a link's small
// bright hole does not stand out from the dark strand around it), at least
// u_standOutDensity of the taps are thin structure of either polarity (above
// `structure`: texture all round), no thin structure of its own polarity runs
// through it (two opposite taps of the inner ring on it: a highlight on a
// wire or a jump ring, a dot on a strand), and no tap is clipped.
vec2 standsOut(vec2 p, vec2 c, float structure) {
  float highest = 0.0;
  float textured = 0.0;
  vec2 through = vec2(0.0);
  for (int i = 0; i < MAX_STAND_OUT_TAPS; i++) {
    if (float(i) >= u_standTaps) break;
    vec2 d = vec2(u_standX[i], u_standY[i]);
    float y = texelAt(u_luma, u_luma_size, p + d).r;
    if (y >= CLIPPED) return vec2(0.0);
    vec4 rec = texelAt(u_reconstructed, u_luma_size, p + d);
    highest = max(highest, max(y - rec.g, rec.a - y));
    vec2 thin = texelAt(u_residual, u_luma_size, p + d).rg;
    textured += step(structure, max(thin.r, thin.g));
    // The opposite tap (i + n/2, which GLSL ES 1.0 cannot index) is read again.
    if (float(i) < 0.5 * u_standInnerTaps)
      through = max(through, step(structure, thin) * step(structure, texelAt(u_residual, u_luma_size, p - d).rg));
  }
  return step(vec2(u_standOutRatio * highest), c) * step(u_standOutDensity * u_standTaps, textured) * (1.0 - through);
}

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
  vec2 isolated = shortExtent(extent);
  vec2 shortContrast = vec2(y - rec.g, rec.a - y);
  vec2 shortCandidate = smoothstep(vec2(shortThreshold), vec2(MASK_RAMP * shortThreshold), shortContrast);
  vec2 strong = max(smoothstep(vec2(threshold), vec2(MASK_RAMP * threshold), vec2(y - rec.r, rec.b - y)), shortCandidate) * isolated;
  // A short candidate joined to the texture around it may still stand out from it (a speck on skin).
  if (any(lessThan(strong, shortCandidate)))
    strong = max(strong, shortCandidate * standsOut(p, shortContrast, u_structureFraction * shortThreshold));
  vec4 falloff = texelAt(u_falloff, u_luma_size, p);
  strong.x *= 1.0 - falloff.r;
  // Dark candidates are soft shading where the deepest one within a feature's width is such shade
  // (a sharp speck in a soft dimple lies deeper and is still taken).
  if (falloff.b > 0.0 && falloff.b >= -falloff.g) strong.y = 0.0;
  // Isolated dark speck: deep below both rings, and still after the reconstruction (not a corner of a larger dark structure).
  float left = rec.a - y;
  float depth = min(ringDepth(p, y, left, u_innerX, u_innerY, u_innerTaps), ringDepth(p, y, left, u_outerX, u_outerY, u_outerTaps));
  // Its block must hold no long dark structure (a chain's dark link dots joined into one), and
  // long bright structure there (a highlight beside it, the pale band it sits on) must not be a
  // pale strand whose next dark dot is near.
  float ownQuiet = shortExtent(own).y;
  if (depth > 1.0 && shortExtent(own).x < 1.0) {
    vec4 ownBox = texelAt(u_extentDark, u_extentBright_size, coarseTexel);
    ownQuiet *= max(shortExtent(own).x, darkDotNear(coarseTexel, ownBox) ? 0.0 : 1.0);
  }
  strong.y = max(strong.y, smoothstep(1.0, MASK_RAMP, depth) * ownQuiet);
  float m = max(strong.x, strong.y);
  gl_FragColor = vec4(m, m, m, 1.0);
}
