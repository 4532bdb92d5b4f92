// Edge maxima of the image and whether each is blurred wider than the edge
// band holds (a defocused edge: shallow depth of field is common in macro
// shots). The blur of an edge is read from how much its gradient drops under
// a further blur (the re-blur gradient ratio, Zhuo & Sim 2011): an edge of
// blur s, seen at u_fineSigma, has its peak gradient fall by the ratio
// R = sqrt(s^2 + fine^2 + extra^2) / sqrt(s^2 + fine^2) when u_coarse adds a
// blur of u_extraSigma, so s > u_softSigma exactly when R^2 is below
// 1 + extra^2 / (soft^2 + fine^2). Gradients are of luminance relative to the
// backdrop's brightness (as the key's contrast is), central differences.
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

float lumaAt(sampler2D tex, vec2 texel) {
  return luminance(texelAt(tex, u_fine_size, texel).rgb);
}

vec2 gradientAt(sampler2D tex, vec2 texel) {
  return 0.5 * vec2(lumaAt(tex, texel + vec2(1.0, 0.0)) - lumaAt(tex, texel - vec2(1.0, 0.0)),
                    lumaAt(tex, texel + vec2(0.0, 1.0)) - lumaAt(tex, texel - vec2(0.0, 1.0)));
}

// The edge's own blur exceeds `sigma` (see above).
bool blurAbove(float ratio, float sigma) {
  return ratio * ratio < 1.0 + u_extraSigma * u_extraSigma / (sigma * sigma + u_fineSigma * u_fineSigma);
}

void main() {
  vec2 texel = currentTexel();
  float scale = backdropScale(texelAt(u_backdrop, u_fine_size, texel).rgb);
  vec2 g = gradientAt(u_fine, texel);
  float peak = length(g);
  bool strong = peak * u_fineSigma * 2.5066283 >= u_minContrast * scale;
  // A maximum across the edge: not below either neighbour along the gradient (8 directions).
  vec2 across = floor(g / max(peak, 1e-12) + 0.5);
  bool maximum = strong && length(gradientAt(u_fine, texel + across)) <= peak && length(gradientAt(u_fine, texel - across)) <= peak;
  float ratio = peak / max(length(gradientAt(u_coarse, texel)), 1e-12);
  bool soft = maximum && blurAbove(ratio, u_softSigma);
  bool verySoft = maximum && blurAbove(ratio, u_verySoftSigma);
  gl_FragColor = vec4(soft ? 1.0 : 0.0, maximum ? 1.0 : 0.0, verySoft ? 1.0 : 0.0, 1.0);
}
