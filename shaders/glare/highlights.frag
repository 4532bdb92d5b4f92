// The highlight map: (h * m, m, b * m, k), h = highlight of the base, m = piece,
// b = blown at the bloom level (counted on thin pieces only, see
// glareThinness), k = blown backdrop (glareBesideBlownBackdrop). Blurred,
// r / g is the share of the piece neighbourhood that is highlight and g the
// piece's share of the neighbourhood.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_base;
uniform sampler2D u_raw;
uniform sampler2D u_matte;
uniform int u_hasMatte;
uniform float u_threshold;
uniform float u_blownLevel;
uniform float u_bloomLevel;
varying vec2 v_uv;

void main() {
  float m = u_hasMatte == 1 ? texture2D(u_matte, v_uv).r : 1.0;
  vec4 raw = texture2D(u_raw, v_uv);
  float blownBackdrop = glareBlown(raw, GLARE_BACKDROP_BLOWN) * (1.0 - m);
  gl_FragColor = vec4(glareHighlight(texture2D(u_base, v_uv).rgb, raw, u_threshold, u_blownLevel) * m, m, glareBlown(raw, u_bloomLevel) * m, blownBackdrop);
}
