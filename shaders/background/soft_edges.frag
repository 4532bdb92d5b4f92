// Edge maxima of the image and whether each is blurred wider than the edge
// band holds (a defocused edge: shallow depth of field is common in macro
// shots). The blur of an edge is read from how much its gradient drops under
// a further blur (the re-blur gradient ratio, Zhuo & Sim 2011): an edge of
// blur s, seen at u_fineSigma, has its peak gradient fall by the ratio
// R = sqrt(s^2 + fine^2 + extra^2) / sqrt(s^2 + fine^2) when u_coarse adds a
// blur of u_extraSigma, so s > u_softSigma exactly when R^2 is below
// 1 + extra^2 / (soft^2 + fine^2). Gradients are of luminance relative to the
// backdrop's brightness (as the key's contrast is), central differences.
// Where luminance shows no edge, the colour's gradient is read instead
// (colourGradientAt), so an edge between colours of equal brightness (gold
// on grey) is found too; a colour edge of blur s falls under re-blur by the
// same R.
// Output: r = 1 at a soft edge maximum, g = 1 at any edge maximum whose
// contrast (peak gradient x fine sigma x sqrt(2 pi)) is at least u_minContrast,
// b = 1 at a very soft one (blur above u_verySoftSigma).
#include "chunks/texel"
#include "chunks/backdrop"

uniform sampler2D u_fine;     // the image blurred by u_fineSigma
uniform sampler2D u_coarse;   // the image blurred by sqrt(fine^2 + extra^2)
uniform sampler2D u_backdrop;
uniform vec2 u_fine_size;      // also u_coarse's: both are the image's size
uniform float u_fineSigma;
uniform float u_extraSigma;
uniform float u_softSigma;
uniform float u_verySoftSigma;
uniform float u_minContrast;

// The colour gradient stands in for luminance's only at edges this many times
// stronger in colour than in luminance (equal brightness, different hue), not
// at the many weak edges of mixed texture and noise.
const float CHROMATIC = 4.0;
// Only on opaque pixels: under partial transparency premultiplied colour
// follows the coverage, and 8-bit rounding of it varies between decoders.
const float OPAQUE = 0.999;
// Relative margin of the maximum test (isMaximum).
const float MAXIMUM_TOLERANCE = 1e-3;

float lumaAt(sampler2D tex, vec2 texel) {
  return luminance(texelAt(tex, u_fine_size, texel).rgb);
}

vec2 gradientAt(sampler2D tex, vec2 texel) {
  return 0.5 * vec2(lumaAt(tex, texel + vec2(1.0, 0.0)) - lumaAt(tex, texel - vec2(1.0, 0.0)),
                    lumaAt(tex, texel + vec2(0.0, 1.0)) - lumaAt(tex, texel - vec2(0.0, 1.0)));
}

// (direction across the edge, magnitude) of the colour gradient; 0 where
// flat. Across an edge between two colours the channels' gradients are
// parallel: the magnitude is the root of their summed squares, the direction
// that of the gradient projected on the longer of the x and y derivatives
// (either gives the same line, up to a sign the maximum test ignores).
vec3 colourGradientAt(sampler2D tex, vec2 texel) {
  vec3 dx = 0.5 * (texelAt(tex, u_fine_size, texel + vec2(1.0, 0.0)).rgb - texelAt(tex, u_fine_size, texel - vec2(1.0, 0.0)).rgb);
  vec3 dy = 0.5 * (texelAt(tex, u_fine_size, texel + vec2(0.0, 1.0)).rgb - texelAt(tex, u_fine_size, texel - vec2(0.0, 1.0)).rgb);
  vec3 e = dot(dx, dx) >= dot(dy, dy) ? dx : dy;
  vec2 g = vec2(dot(dx, e), dot(dy, e));
  float projected = length(g);
  return projected > 1e-20 ? vec3(g / projected, sqrt(dot(dx, dx) + dot(dy, dy))) : vec3(0.0);
}

// A maximum across the edge: not below either neighbour along the gradient (8
// directions) and clearly above one of them. Both neighbours within
// MAXIMUM_TOLERANCE of it mean a ramp, whose equal gradients float rounding
// would otherwise split into maxima, differently on different GPUs.
bool isMaximum(float peak, float before, float after) {
  float tolerance = MAXIMUM_TOLERANCE * peak;
  return before <= peak + tolerance && after <= peak + tolerance && min(before, after) < peak - tolerance;
}

// The edge's own blur exceeds `sigma` (see above).
bool blurAbove(float ratio, float sigma) {
  return ratio * ratio < 1.0 + u_extraSigma * u_extraSigma / (sigma * sigma + u_fineSigma * u_fineSigma);
}

void main() {
  vec2 texel = currentTexel();
  float scale = backdropScale(texelAt(u_backdrop, u_fine_size, texel).rgb);
  float minPeak = u_minContrast * scale / (u_fineSigma * 2.5066283);
  vec2 g = gradientAt(u_fine, texel);
  float peak = length(g);
  bool maximum;
  float ratio;
  if (peak >= minPeak) {
    vec2 across = floor(g / peak + 0.5);
    maximum = isMaximum(peak, length(gradientAt(u_fine, texel - across)), length(gradientAt(u_fine, texel + across)));
    ratio = peak / max(length(gradientAt(u_coarse, texel)), 1e-12);
  } else {
    vec3 c = colourGradientAt(u_fine, texel);
    vec2 across = floor(c.xy + 0.5);
    bool opaque = texelAt(u_fine, u_fine_size, texel).a >= OPAQUE;
    maximum = opaque && c.z >= minPeak && c.z >= CHROMATIC * peak &&
              isMaximum(c.z, colourGradientAt(u_fine, texel - across).z, colourGradientAt(u_fine, texel + across).z);
    ratio = c.z / max(colourGradientAt(u_coarse, texel).z, 1e-12);
  }
  bool soft = maximum && blurAbove(ratio, u_softSigma);
  bool verySoft = maximum && blurAbove(ratio, u_verySoftSigma);
  gl_FragColor = vec4(soft ? 1.0 : 0.0, maximum ? 1.0 : 0.0, verySoft ? 1.0 : 0.0, 1.0);
}
