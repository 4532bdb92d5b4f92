// Highlights of the base on the piece, and the piece itself: (h * m, m). Blurred,
// r / g is the share of the piece neighbourhood that is highlight.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_base;
uniform sampler2D u_raw;
uniform sampler2D u_matte;
uniform int u_hasMatte;
uniform float u_threshold;
uniform float u_blownLevel;
varying vec2 v_uv;

void main() {
  float m = u_hasMatte == 1 ? texture2D(u_matte, v_uv).r : 1.0;
  gl_FragColor = vec4(glareHighlight(texture2D(u_base, v_uv).rgb, texture2D(u_raw, v_uv), u_threshold, u_blownLevel) * m, m, 0.0, 1.0);
}
