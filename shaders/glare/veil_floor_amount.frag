// The backdrop's veil amount (1x1): the dark floor of the four summed
// glare/veil_floor counts, at most the piece's amount. Under a blown
// backdrop's rule (u_hasBlown, second step) it keeps, as far as the rule
// acts, the first step's amount: without the piece's veil in the bound the
// ratio min_c(raw) / lum(S_b) only grows as the backdrop's own veil is
// taken out of S_b, so a second look would read the veil removed as more veil.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_floor0;
uniform sampler2D u_floor1;
uniform sampler2D u_floor2;
uniform sampler2D u_floor3;
uniform sampler2D u_statsA;
uniform sampler2D u_statsB;
uniform sampler2D u_blown;        // 1x1 blown share sums (u_hasBlown)
uniform sampler2D u_firstAmount;  // 1x1 first step's amount (u_hasBlown)
uniform int u_hasBlown;
uniform float u_blownShare;
uniform int u_autoVeil;
uniform float u_veil;
uniform float u_fraction;

void main() {
  vec2 c = vec2(0.5);
  float amount = glareVeilAmount(u_statsA, u_statsB, u_autoVeil, u_veil);
  float floorAmount = glareFloorAmount(texture2D(u_floor0, c), texture2D(u_floor1, c), texture2D(u_floor2, c), texture2D(u_floor3, c), amount, u_fraction);
  if (u_hasBlown == 1) floorAmount = mix(texture2D(u_firstAmount, c).r, floorAmount, glarePieceVeilInFloor(texture2D(u_blown, c), u_blownShare));
  gl_FragColor = vec4(floorAmount, 0.0, 0.0, 1.0);
}
