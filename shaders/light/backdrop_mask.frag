// Which pixels show the bare backdrop (1) and which belong to the piece, its
// edges or its shadow (0). The backdrop is smooth (low local contrast), not
// darker than its wide neighbourhood, and close to the backdrop colour: first
// the global mean colour (chromaticity only, since uneven light changes
// brightness), then the current estimate.
// User hints: red (definitely piece) is never backdrop. Green (definitely
// backdrop) is left to the tests: a user paints clutter green to have the key
// drop it, and its colour must not become the backdrop's or the light's.
// Output: the mask m in rgb (alpha 1), or with u_pack (rgb * m, m) for a
// weighted mean (what light/weight_pack would make of it, one draw fewer).
// With u_borderWidth > 0 (and u_pack) the weights are for the mean colour of
// the frame's border: interior pixels weigh INTERIOR_WEIGHT, so they count
// only where the border holds no smooth pixel (light/backdrop_reference.frag
// takes that mean where far more of the frame passes against it).
#include "chunks/color"
#include "chunks/hints"
#include "chunks/noise"

uniform sampler2D u_image;
uniform sampler2D u_stats;     // blurred (L, L^2): local mean and variance
uniform sampler2D u_reference; // mode 1: 1x1 weighted mean (rgb*w, w); mode 2: backdrop estimate
uniform sampler2D u_wide;      // (L, L^2) blurred at the fit's sigma: the neighbourhood's brightness
uniform sampler2D u_hints;
uniform sampler2D u_noise;     // 1x1 (sum, 0, 0, count): relative noise std
uniform int u_mode;            // 0 texture only, 1 + chromaticity vs global mean, 2 + colour vs estimate
uniform int u_hasHints;
uniform int u_pack;
uniform float u_borderWidth;      // texels; 0 = every pixel weighs alike
uniform vec2 u_image_size;
uniform float u_textureTolerance; // relative local standard deviation still counted as smooth
uniform float u_colorTolerance;   // relative colour distance still counted as backdrop
varying vec2 v_uv;

const float INTERIOR_WEIGHT = 0.01;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  vec2 s = texture2D(u_stats, v_uv).rg;
  float localContrast = sqrt(max(s.y - s.x * s.x, 0.0)) / relativeBase(s.x);
  // Noise alone must never make a pixel "detailed".
  float tolerance = max(u_textureTolerance, 2.0 * noiseLevel(u_noise));
  float m = 1.0 - smoothstep(tolerance, 2.0 * tolerance, localContrast);
  if (u_mode >= 1) {
    // Clearly darker than the wide neighbourhood: a shadow or the piece, not light falloff
    // (vignetting and gradients barely change over one fit sigma).
    float wideMean = texture2D(u_wide, v_uv).r;
    m *= 1.0 - smoothstep(u_colorTolerance, 2.0 * u_colorTolerance, (wideMean - luminance(c)) / relativeBase(wideMean));
  }
  if (u_mode == 1) {
    vec4 ref = texture2D(u_reference, vec2(0.5));
    vec3 refColor = ref.rgb / max(ref.a, 1e-6);
    // The pixel against the mean colour brought to its brightness: a
    // chromaticity difference, measured against at least RELATIVE_FLOOR (the
    // hue of a near-black pixel is noise).
    vec3 refChroma = refColor / max(luminance(refColor), 1e-4);
    float d = length(c - luminance(c) * refChroma) / relativeBase(luminance(c));
    m *= 1.0 - smoothstep(2.0 * u_colorTolerance, 4.0 * u_colorTolerance, d);
  } else if (u_mode == 2) {
    // Darker than the fit counts double: shadows and the piece only darken,
    // and a fit that sagged into a shadow must not keep its shadow pixels.
    vec3 b = texture2D(u_reference, v_uv).rgb;
    float d = length(c - b) / relativeBase(luminance(b));
    if (luminance(c) < luminance(b)) d *= 2.0;
    m *= 1.0 - smoothstep(u_colorTolerance, 2.0 * u_colorTolerance, d);
  }
  if (u_hasHints == 1 && hintIsPiece(texture2D(u_hints, v_uv).rg)) m = 0.0;
  if (u_pack == 1 && u_borderWidth > 0.0) {
    vec2 p = gl_FragCoord.xy;
    float fromEdge = min(min(p.x, p.y), min(u_image_size.x - p.x, u_image_size.y - p.y));
    m *= fromEdge < u_borderWidth ? 1.0 : INTERIOR_WEIGHT;
  }
  gl_FragColor = u_pack == 1 ? vec4(c * m, m) : vec4(vec3(m), 1.0);
}
