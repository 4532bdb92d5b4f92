// The backdrop's veil amount (1x1): the dark floor of the four summed
// glare/veil_floor counts, at most the piece's amount.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_floor0;
uniform sampler2D u_floor1;
uniform sampler2D u_floor2;
uniform sampler2D u_floor3;
uniform sampler2D u_statsA;
uniform sampler2D u_statsB;
uniform int u_autoVeil;
uniform float u_veil;
uniform float u_fraction;

void main() {
  vec2 c = vec2(0.5);
  float amount = glareVeilAmount(u_statsA, u_statsB, u_autoVeil, u_veil);
  gl_FragColor = vec4(glareFloorAmount(texture2D(u_floor0, c), texture2D(u_floor1, c), texture2D(u_floor2, c), texture2D(u_floor3, c), amount, u_fraction), 0.0, 0.0, 1.0);
}
