// One direction of a separable Gaussian: TAP_COUNT texel-centre fetches on
// each side (see gaussianTaps in gaussian.ts for why none are merged into
// bilinear fetches). TAP_COUNT is the draw's define, so the loop has a
// constant bound and unrolls; the default, the most taps, is only for a
// standalone compile (unused entries have weight 0).
#ifndef TAP_COUNT
#define TAP_COUNT 32
#endif

uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_direction;            // (1,0) or (0,1)
uniform float u_centerWeight;
uniform float u_weights[TAP_COUNT];  // u_weights[k - 1] applies at +k and -k texels
varying vec2 v_uv;

void main() {
  vec2 step = u_direction / u_image_size;
  vec4 sum = texture2D(u_image, v_uv) * u_centerWeight;
  for (int i = 0; i < TAP_COUNT; i++) {
    vec2 d = step * float(i + 1);
    sum += (texture2D(u_image, v_uv + d) + texture2D(u_image, v_uv - d)) * u_weights[i];
  }
  gl_FragColor = sum;
}
