// Texture stage of the fill, as healing does: the smooth fill has only the
// low frequencies, so texture (weave, grain, hammer marks) is copied in from
// the best-matching displaced neighbourhood. For each candidate shift s, the
// cost is the Gaussian-weighted squared difference between the texture layer
// (fill_detail: the image minus its edge-aware local mean) around the texel
// and around texel + s, over texels valid at both ends; the cheapest shift
// whose source texel is valid gives
//   edge-aware local mean + texture layer at texel + s,
// the mean taken around the texel on the smooth fill's side of any edge,
// mixed with the smooth/edge fill by the match's correlation (a poor match
// adds nothing). Unmasked texels are returned exactly (mix with weight 0).
#include "chunks/texel"
#include "chunks/color"
#include "chunks/bilateral"
#include "chunks/texture_layer"
#include "chunks/imperfections"
#define MAX_SHIFTS 32
#define MAX_WINDOW 8
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;
uniform sampler2D u_fill;
uniform sampler2D u_detail;
uniform float u_shiftX[MAX_SHIFTS];
uniform float u_shiftY[MAX_SHIFTS];
uniform float u_shiftCount;
uniform float u_windowRadius;
uniform float u_windowSigma;

// Matches supported by less of the window than this are not trusted.
const float MIN_SUPPORT = 0.25;

void main() {
  vec2 p = currentTexel();
  vec4 original = texelAt(u_image, u_image_size, p);
  float m = texelAt(u_mask, u_image_size, p).r;
  if (m <= 0.0) {
    gl_FragColor = original;
    return;
  }
  vec3 fill = texelAt(u_fill, u_image_size, p).rgb;

  float bestCost = -1.0;
  float bestEnergy = 0.0;
  vec2 bestShift = vec2(0.0);
  float side = 2.0 * u_windowRadius;
  float inv2s2 = 0.5 / (u_windowSigma * u_windowSigma);
  for (int k = 0; k < MAX_SHIFTS; k++) {
    if (float(k) >= u_shiftCount) break;
    vec2 s = vec2(u_shiftX[k], u_shiftY[k]);
    vec2 source = p + s;
    if (any(lessThan(source, vec2(0.0))) || any(greaterThanEqual(source, u_image_size))) continue;
    if (texelAt(u_mask, u_image_size, source).r >= VALID_MASK) continue;
    float diff = 0.0;
    float energy = 0.0;
    float weight = 0.0;
    float total = 0.0;
    for (int j = 0; j <= 2 * MAX_WINDOW; j++) {
      if (float(j) > side) break;
      for (int i = 0; i <= 2 * MAX_WINDOW; i++) {
        if (float(i) > side) break;
        vec2 o = vec2(float(i), float(j)) - u_windowRadius;
        float g = exp(-dot(o, o) * inv2s2);
        vec4 a = texelAt(u_detail, u_image_size, p + o);
        vec4 b = texelAt(u_detail, u_image_size, source + o);
        float w = g * a.a * b.a;
        vec3 d = a.rgb - b.rgb;
        diff += w * dot(d, d);
        energy += w * 0.5 * (dot(a.rgb, a.rgb) + dot(b.rgb, b.rgb));
        weight += w;
        total += g;
      }
    }
    if (weight < MIN_SUPPORT * total) continue;
    float cost = diff / weight;
    if (bestCost < 0.0 || cost < bestCost) {
      bestCost = cost;
      bestEnergy = energy / weight;
      bestShift = s;
    }
  }

  vec3 result = fill;
  if (bestCost >= 0.0 && bestEnergy > 1e-12) {
    // Correlation of the two texture layers (equal energies): 1 - cost / (2 energy).
    float gain = clamp(1.0 - 0.5 * bestCost / bestEnergy, 0.0, 1.0);
    vec3 base = edgeAwareValidMean(u_image, u_mask, u_image_size, p, bilateralGuide(fill), fill);
    result = mix(fill, base + texelAt(u_detail, u_image_size, p + bestShift).rgb, gain);
  }
  gl_FragColor = vec4(mix(original.rgb, result, m), original.a);
}
