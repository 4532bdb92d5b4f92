// Straight ridges, step 2 of 2, which the structure guard's reconstruction
// does not grow through: r = 1 where the texel lies on a segment of
// 2h + 1 taps, at orientation A or B and not necessarily centred on it,
// every tap of which is brighter than both of its sides by more than
// max(u_floor, u_fraction x the texel's bright thin-feature contrast); g the
// same for dark (darker than both sides). A scratch is such a ridge up to its
// ends; a facet corner or prong tip widens towards its structure or is
// shorter than the segment. The side margins of every tap come from
// ridge_margin.frag (u_margins, padded by u_pad texels: A in rg, B in ba);
// here they are opened along the line: the smallest margin of each window of
// 2h + 1 taps that contains the texel, the largest of those.
//
// The taps -2h..2h sit in SLOTS = 4 MAX_HALF + 1 slots, slot s holding tap
// floor(s h / MAX_HALF) - 2h (ridgeSlots in detect.ts): some taps twice when
// h < MAX_HALF, which min and max ignore. Every run of 2 MAX_HALF + 1 slots
// then holds one window of 2h + 1 taps, and each window is such a run, so
// the opening has a fixed shape (suffix minima towards the centre slot,
// prefix minima from it) whatever h is. u_slotA/B: the slots' offsets.
// Offsets are whole texels (ridgeAlong in plan.ts) that the float64
// reference mirrors exactly. Where u_accumulate = 1 the result is or-ed with
// u_previous, the other orientations' (a ridge at any orientation counts).
#include "chunks/texel"
// 2 MAX_HALF: MAX_RIDGE_TAPS in plan.ts; SLOTS = 4 MAX_HALF + 1 around CENTRE.
#define MAX_HALF 4
#define SLOTS 17
#define CENTRE 8
uniform sampler2D u_margins;
uniform vec2 u_margins_size;
uniform sampler2D u_residual;
uniform vec2 u_residual_size;
uniform sampler2D u_previous;
uniform float u_slotAx[SLOTS];
uniform float u_slotAy[SLOTS];
uniform float u_slotBx[SLOTS];
uniform float u_slotBy[SLOTS];
uniform float u_pad;
uniform float u_fraction;
uniform float u_floor;
uniform float u_accumulate;

// (A bright, A dark, B bright, B dark) of the taps in slot s, from q = the texel's padded position.
#define SLOT_MARGINS(s) vec4(texelAt(u_margins, u_margins_size, q + vec2(u_slotAx[s], u_slotAy[s])).rg, texelAt(u_margins, u_margins_size, q + vec2(u_slotBx[s], u_slotBy[s])).ba)

void main() {
  vec2 p = currentTexel();
  vec2 q = p + u_pad;
  // lo[s]: minimum over slots s..CENTRE (s <= CENTRE) or CENTRE..s (s >= CENTRE).
  vec4 lo[SLOTS];
  lo[CENTRE] = texelAt(u_margins, u_margins_size, q);
  for (int k = 1; k <= 2 * MAX_HALF; k++) {
    lo[CENTRE - k] = min(lo[CENTRE - k + 1], SLOT_MARGINS(CENTRE - k));
    lo[CENTRE + k] = min(lo[CENTRE + k - 1], SLOT_MARGINS(CENTRE + k));
  }
  // Window of slots t..t + 2 MAX_HALF, t = 0..2 MAX_HALF.
  vec4 best = vec4(-1e9);
  for (int t = 0; t <= 2 * MAX_HALF; t++) best = max(best, min(lo[t], lo[t + 2 * MAX_HALF]));
  vec2 contrast = texelAt(u_residual, u_residual_size, p).rg;
  // max(best A, best B) > level (strictly, as in the reference).
  vec2 ridge = 1.0 - step(max(best.rg, best.ba), max(vec2(u_floor), u_fraction * contrast));
  if (u_accumulate > 0.5) ridge = max(ridge, texelAt(u_previous, u_residual_size, p).rg);
  gl_FragColor = vec4(ridge, 0.0, 1.0);
}
