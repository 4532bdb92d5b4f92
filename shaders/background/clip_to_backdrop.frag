// The image pulled towards a near-black backdrop for the key's
// certain-backdrop test: no pixel may differ from it by more than u_clip
// times the backdrop threshold. Blurred, this is what the test reads: the
// blur still averages the noise down, but a bright piece no longer spreads
// its light into the black beside it. There every piece differs from the
// backdrop by dozens of thresholds (differences are measured against a mid
// grey, DARK_BACKDROP_SCALE), and a blown gold wire kept 4-5 px around it
// uncertain, so the trimap made its black rim solid piece: a black outline
// on white. The clip fades out with nearBlack (from a backdrop of 0.02 to
// 0.1, linear): on a grey backdrop grey metal next to bright edges is near
// the backdrop's colour, and the spread is what keeps it piece.
#include "chunks/backdrop"

uniform sampler2D u_image;
uniform sampler2D u_backdrop;
uniform sampler2D u_noise; // 1x1 (sum, 0, 0, count): relative noise std
uniform float u_low;
uniform float u_clip;
varying vec2 v_uv;

void main() {
  vec4 c = texture2D(u_image, v_uv);
  vec3 b = texture2D(u_backdrop, v_uv).rgb;
  float cap = u_clip * backdropLow(u_low, u_noise) / max(nearBlack(b), 1e-3);
  float contrast = backdropContrast(c.rgb, b);
  gl_FragColor = vec4(b + (c.rgb - b) * min(1.0, cap / max(contrast, 1e-6)), c.a);
}
