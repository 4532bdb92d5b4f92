// Difference key against the clean backdrop. Output: r = soft alpha guess
// (linear ramp of the contrast between the two thresholds), g = 1 where the
// pixel is certainly piece, b = 1 where it is certainly backdrop.
// Smooth, colourless darkening of limited depth looks like a contact shadow:
// with u_separateShadow only its colour change and brightening count, so the
// shadow goes to the shadow layer instead of the matte.
#include "chunks/backdrop"

uniform sampler2D u_image;
uniform sampler2D u_backdrop;
uniform sampler2D u_stats;   // blurred (L, L^2): local contrast
uniform sampler2D u_hints;   // red = piece, green = backdrop
uniform int u_hasHints;
uniform int u_separateShadow;
uniform float u_low;         // contrast at or below which a pixel is backdrop
uniform float u_high;        // contrast at or above which a pixel is piece
uniform float u_shadowMax;   // deepest darkening still taken for a shadow
uniform float u_textureTolerance;
varying vec2 v_uv;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  vec3 b = texture2D(u_backdrop, v_uv).rgb;
  float lb = max(luminance(b), 1e-4);
  float contrast = length(c - b) / lb;
  if (u_separateShadow == 1) {
    vec2 s = texture2D(u_stats, v_uv).rg;
    float localContrast = sqrt(max(s.y - s.x * s.x, 0.0)) / max(s.x, 1e-4);
    float chroma = chromaDifference(c, b);
    float shadowLike = (1.0 - smoothstep(u_textureTolerance, 2.0 * u_textureTolerance, localContrast))
                     * (1.0 - smoothstep(0.8 * u_shadowMax, u_shadowMax, backdropDarkening(c, b)))
                     * (1.0 - smoothstep(u_low, 2.0 * u_low, chroma));
    float brightening = max(luminance(c) / lb - 1.0, 0.0);
    contrast = mix(contrast, max(chroma, brightening), shadowLike);
  }
  float soft = clamp((contrast - u_low) / (u_high - u_low), 0.0, 1.0);
  float piece = step(u_high, contrast);
  float backdrop = 1.0 - step(u_low + 1e-6, contrast);
  if (u_hasHints == 1) {
    vec2 h = texture2D(u_hints, v_uv).rg;
    if (h.r > 0.5) { soft = 1.0; piece = 1.0; backdrop = 0.0; }
    if (h.g > 0.5) { soft = 0.0; piece = 0.0; backdrop = 1.0; }
  }
  gl_FragColor = vec4(soft, piece, backdrop, 1.0);
}
