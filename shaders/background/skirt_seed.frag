// Where the skirt's growth starts: certain backdrop that is smooth over the
// wide shadow window too, i.e. open backdrop away from any piece. Backdrop-
// bright spots a piece encloses (a diamond's table facet) have the piece's
// structure nearby and seed nothing. Output: r = seed, g = evidence of a
// cast shadow (below).
uniform sampler2D u_key;   // key_soft: b = certain backdrop
uniform sampler2D u_edges; // edge_energy blurred over the wide shadow window
uniform sampler2D u_noise; // 1x1 (sum, 0, 0, count): relative noise std
uniform sampler2D u_shadow; // shadow_seed of the shadow test: (s * w, w), s = how shadow-like times the darkening, per channel
uniform sampler2D u_texture; // texture_pack blurred (chunks/texture)
uniform float u_textureTolerance;
#include "chunks/color"
#include "chunks/texture"
varying vec2 v_uv;

// A smooth, colourless pixel darkened this much by the wide-window shadow
// test is evidence of a cast shadow (g), through which the growth may follow
// the shadow's core deeper than shadowMax.
const float SHADOW_EVIDENCE = 0.1;

void main() {
  float tolerance = smoothnessTolerance(u_noise, u_texture, v_uv, u_textureTolerance);
  float seed = step(0.5, texture2D(u_key, v_uv).b) * (1.0 - step(tolerance, texture2D(u_edges, v_uv).r));
  vec4 shadow = texture2D(u_shadow, v_uv);
  // Clearly shadow-like (w >= 0.5, not a piece pixel with a trace of it), and
  // certain backdrop once the shadow test's estimate was divided out.
  float inShadow = step(0.5, texture2D(u_key, v_uv).b) * step(0.5, shadow.a) * step(SHADOW_EVIDENCE, luminance(shadow.rgb) / max(shadow.a, 1e-5));
  gl_FragColor = vec4(seed, inShadow, 0.0, 1.0);
}
