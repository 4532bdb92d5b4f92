// Veiling glare removal: the veil is the scattered source light (blurred by the
// lens's point spread tail) times the veil amount; subtracting it from the raw
// image gives the next glare-free estimate. Stays >= 0. With u_autoVeil the
// amount is the least-squares slope from the 1x1 sums of veil_stats. With
// u_backdropVeil the scattered backdrop light is subtracted too, times the
// amount glare/veil_floor_amount estimated (1x1).
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_image;              // raw image
uniform sampler2D u_scattered;          // Gaussian blur of veil_source (the piece's)
uniform sampler2D u_scatteredBackdrop;  // the same of the backdrop's source (u_backdropVeil)
uniform sampler2D u_backdropAmount;     // 1x1 (u_backdropVeil)
uniform sampler2D u_statsA;             // 1x1: (sum w, sum w s, sum w i, sum w s^2)
uniform sampler2D u_statsB;             // 1x1: (sum w s i, ...)
uniform int u_autoVeil;
uniform int u_backdropVeil;
uniform float u_veil;
varying vec2 v_uv;

void main() {
  vec4 raw = texture2D(u_image, v_uv);
  float amount = glareVeilAmount(u_statsA, u_statsB, u_autoVeil, u_veil);
  vec3 veil = amount * texture2D(u_scattered, v_uv).rgb;
  if (u_backdropVeil == 1) veil += texture2D(u_backdropAmount, vec2(0.5)).r * texture2D(u_scatteredBackdrop, v_uv).rgb;
  gl_FragColor = vec4(max(raw.rgb - veil, 0.0), raw.a);
}
