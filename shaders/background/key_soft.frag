// Difference key against the clean backdrop. Output: r = backdropContrast
// (for a piece colour F over backdrop B a mixed pixel has alpha |F - B| / scale,
// linear in alpha), g = 1 where the pixel is certainly
// piece, b = 1 where it is certainly backdrop, a = how shadow-like it is
// (with u_skirt: see the end).
// Smooth, colourless darkening of limited depth looks like a contact shadow:
// with u_separateShadow only its colour change and brightening count, so the
// shadow goes to the shadow layer instead of the matte.
#include "chunks/backdrop"
#include "chunks/hints"
#include "chunks/texture"

uniform sampler2D u_image;
uniform sampler2D u_smoothed; // u_image blurred (sigma 1.5): backdrop decisions see 0.19 of the noise
uniform sampler2D u_smoothedClipped; // clip_to_backdrop blurred alike: what the certain-backdrop test reads
uniform sampler2D u_noise;    // 1x1 (sum, 0, 0, count): relative noise std
uniform sampler2D u_backdrop;
uniform sampler2D u_edges;   // edge_energy blurred over a wide window: shadows are smooth throughout it
uniform sampler2D u_hints;   // red = piece, green = backdrop
uniform int u_hasHints;
uniform int u_separateShadow;
uniform int u_skirt;         // 1: u_edges is the fine-scale edge energy; mark skirt-like pixels in alpha
uniform float u_low;         // contrast at or below which a pixel is backdrop
uniform float u_high;        // contrast at or above which a pixel is piece
uniform float u_skirtMax;    // deepest darkening (or brightening) still skirt-like
uniform float u_shadowMax;   // deepest darkening still taken for a shadow
uniform float u_textureTolerance;
uniform sampler2D u_texture; // texture_pack blurred: the open backdrop's own texture (chunks/texture)
varying vec2 v_uv;

#define DEEP_SKIRT 0.9

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  vec3 b = texture2D(u_backdrop, v_uv).rgb;
  float low = backdropLow(u_low, u_noise);
  float textureTolerance = smoothnessTolerance(u_noise, u_texture, v_uv, u_textureTolerance);
  float contrast = backdropContrast(c, b);
  float smoothedContrast = backdropContrast(texture2D(u_smoothed, v_uv).rgb, b);
  vec3 clipped = texture2D(u_smoothedClipped, v_uv).rgb;
  float backdropTest = backdropContrast(clipped, b);
  float shadowLike = 0.0;
  if (u_separateShadow == 1) {
    float chroma = chromaDifference(c, b);
    shadowLike = (1.0 - smoothstep(textureTolerance, 2.0 * textureTolerance, texture2D(u_edges, v_uv).r))
                     * (1.0 - smoothstep(0.8 * u_shadowMax, u_shadowMax, backdropDarkening(c, b)))
                     * (1.0 - smoothstep(low, 2.0 * low, chroma));
    float brightening = max((luminance(c) - luminance(b)) / relativeBase(luminance(b)), 0.0);
    contrast = mix(contrast, max(chroma, brightening), shadowLike);
    smoothedContrast = mix(smoothedContrast, max(chromaDifference(texture2D(u_smoothed, v_uv).rgb, b), brightening), shadowLike);
    backdropTest = mix(backdropTest, max(chromaDifference(clipped, b), brightening), shadowLike);
  }
  float skirt = 0.0;
  if (u_skirt == 1) {
    // Skirt-like: veiling glare or a contact shadow's core brightens or
    // darkens the backdrop next to a piece, smoothly and without changing its
    // colour. A piece's edge, a chain or engraving has fine-scale structure
    // within a few pixels; the skirt has none. (Smooth parts of a piece look
    // the same: skirt_grow keeps only what climbs smoothly from the backdrop,
    // and the core deeper than shadowMax only through evidence of a shadow.)
    vec3 s = texture2D(u_smoothed, v_uv).rgb;
    float change = max(backdropDarkening(s, b), (luminance(s) - luminance(b)) / relativeBase(luminance(b)));
    float smoothColourless = (1.0 - smoothstep(textureTolerance, 2.0 * textureTolerance, texture2D(u_edges, v_uv).r))
                           * (1.0 - smoothstep(low, 2.0 * low, chromaDifference(s, b)));
    skirt = smoothColourless * (1.0 - smoothstep(0.8 * u_shadowMax, u_shadowMax, change));
    // Deeper than shadowMax (a deep shadow's core, DEEP_SKIRT of shadowMax
    // and more: skirt_grow follows it only through evidence of a shadow) up
    // to skirtMax.
    if (change > DEEP_SKIRT * u_shadowMax) skirt = max(skirt, smoothColourless * (1.0 - smoothstep(0.8 * u_skirtMax, u_skirtMax, change)));
  }
  float piece = step(u_high, contrast);
  float backdrop = 1.0 - step(low + 1e-6, backdropTest);
  if (u_hasHints == 1) {
    vec2 h = texture2D(u_hints, v_uv).rg;
    if (hintIsPiece(h)) { piece = 1.0; backdrop = 0.0; shadowLike = 0.0; skirt = 0.0; }
    if (hintIsBackdrop(h)) { contrast = 0.0; piece = 0.0; backdrop = 1.0; }
  }
  // With u_skirt, alpha is the smoothed contrast where the pixel is skirt-like
  // (what skirt_grow follows) and -1 elsewhere.
  gl_FragColor = vec4(contrast, piece, backdrop, u_skirt == 1 ? (skirt >= 0.5 ? smoothedContrast : -1.0) : shadowLike);
}
