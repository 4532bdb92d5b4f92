// Trimap from the key: a pixel is definite backdrop (0) only when its whole
// edge band (at soft, defocused edges a band two or four times as wide:
// key.ts softEdgeRegion) is backdrop, and definite piece (1) when its whole band is piece
// or when no backdrop pixel lies within the band at all (the inside of a
// piece whose reflections come close to the backdrop's brightness). Every
// boundary with the backdrop thus gets an unknown band (0.5) for the guided
// filter to resolve. Hints are definite whatever their surroundings.
// On a coloured backdrop an enclosed pixel that shows the backdrop's hue stays
// unknown: a hole smaller than the band (between a stone and its setting,
// inside a bail or a link) holds no certain backdrop, since the blurred
// backdrop test mixes in its rim, yet shows the backdrop's colour, which white
// or grey metal cannot. "Shows the hue": its colour difference from the
// backdrop scaled in brightness is below u_hueShare of what a colourless
// surface shows, and that surface's difference exceeds u_hueMargin times the
// noise (a white or pale backdrop keeps the rule off: white metal looks alike).
// On a near-black backdrop (nearBlack) an enclosed pixel as dark as the
// backdrop (its contrast within the key's backdrop threshold) stays unknown
// too: the small holes where bright wires cross hold no certain backdrop,
// since the blurred test mixes in the wires, and came out as black dots.
// In the band the soft guess is contrast / (the highest contrast nearby):
// the nearby solid piece shows |F - B| / L(B), so this is alpha for a piece of
// uniform colour; thin chains with no solid pixel nearby fall back to u_high.
// Where the smoothed key calls a band pixel backdrop, or an enclosed one shows
// the backdrop's hue, its alpha may not exceed the soft guess: the guided
// filter's windows otherwise spill a faint halo around thin strands and into
// small holes.
// With u_hasFill, u_fill marks enclosed regions that differ from the
// backdrop as a whole (key.ts enclosedPiece: the face of white metal on
// white, each pixel within the noise): piece, whatever the key says.
// Output: r = input to the guided filter (0, 1 or the soft guess), g = trimap,
// b = upper bound of the refined alpha, a = that bound from the hue test alone
// (bridge_gaps.frag keeps it, but not the key's backdrop call: the centre
// line of a white chain is keyed backdrop and must be bridged).
#include "chunks/backdrop"
#include "chunks/hints"

uniform sampler2D u_key;    // key_soft output
uniform sampler2D u_band;   // band_stats of u_key over the edge band: r = maximum of key.r, g, b = box means of key.g, key.b
uniform sampler2D u_wideBand;  // the same over the wide band, used where u_soft marks soft (defocused) edges
uniform sampler2D u_widerBand; // and over the wider band, where u_soft marks them very soft
uniform sampler2D u_soft;      // r = 1: soft edges, b = 1: very soft (soft_edge_region.frag)
uniform int u_hasSoft;
uniform float u_high;
uniform float u_low;        // the key's backdrop threshold (before the noise floor, chunks/backdrop backdropLow)
uniform sampler2D u_hints;
uniform sampler2D u_noise;  // 1x1 (sum, 0, 0, count): relative noise std
uniform int u_hasHints;
uniform sampler2D u_fill;   // r = 1: enclosed piece
uniform int u_hasFill;
uniform sampler2D u_image;     // what was keyed
uniform sampler2D u_backdrop;
uniform float u_hueShare;
uniform float u_hueMargin;
varying vec2 v_uv;

void main() {
  vec4 key = texture2D(u_key, v_uv);
  vec4 softEdges = u_hasSoft == 1 ? texture2D(u_soft, v_uv) : vec4(0.0);
  vec4 band = softEdges.b > 0.5 ? texture2D(u_widerBand, v_uv)
            : softEdges.r > 0.5 ? texture2D(u_wideBand, v_uv) : texture2D(u_band, v_uv);
  // Noise alone gives a bare backdrop pixel a contrast of about sqrt(3) noise
  // (three channels).
  float noiseContrast = 1.73 * noiseLevel(u_noise);
  float trimap = 0.5;
  bool backdropHue = false;
  if (band.b > 0.999) trimap = 0.0;
  else if (band.g > 0.999) trimap = 1.0;
  else if (band.b < 0.001) {
    vec3 b = texture2D(u_backdrop, v_uv).rgb;
    float colourless = chromaDifference(vec3(luminance(b)), b);
    backdropHue = colourless > u_hueMargin * noiseContrast
                    && chromaDifference(texture2D(u_image, v_uv).rgb, b) < u_hueShare * colourless
                  || nearBlack(b) > 0.5 && key.r <= backdropLow(u_low, u_noise);
    trimap = backdropHue ? 0.5 : 1.0;
  }
  bool filled = u_hasFill == 1 && texture2D(u_fill, v_uv).r > 0.5;
  if (filled) {
    trimap = 1.0;
    backdropHue = false;
  }
  if (u_hasHints == 1) {
    vec2 h = texture2D(u_hints, v_uv).rg;
    if (hintIsPiece(h)) trimap = 1.0;
    if (hintIsBackdrop(h)) trimap = 0.0;
  }
  // The noise contrast taken off the guess: it is not biased upwards on bare
  // backdrop, which the guided filter would turn into a faint halo.
  float full = max(band.r, u_high);
  float soft = clamp((key.r - noiseContrast) / max(full - noiseContrast, 1e-4), 0.0, 1.0);
  float p = trimap == 0.5 ? soft : trimap;
  float hueCeiling = backdropHue ? soft : 1.0;
  float ceiling = key.b > 0.5 && !filled ? soft : hueCeiling;
  gl_FragColor = vec4(p, trimap, ceiling, hueCeiling);
}
