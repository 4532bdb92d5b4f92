// One direction of a separable Gaussian. Neighbouring taps are merged into a
// single bilinear fetch at their weighted midpoint (linear-sampling taps), so
// TAP_COUNT fetches cover a kernel radius of about 2 * TAP_COUNT texels.
// TAP_COUNT is the draw's define (gaussian.ts), so the loop has a constant
// bound and unrolls; the default, the most taps, is only for a standalone
// compile (unused entries have weight 0).
#ifndef TAP_COUNT
#define TAP_COUNT 16
#endif

uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_direction;            // (1,0) or (0,1)
uniform float u_centerWeight;
uniform float u_offsets[TAP_COUNT];  // texel offsets of merged taps (> 0)
uniform float u_weights[TAP_COUNT];  // each applied at +offset and -offset
varying vec2 v_uv;

void main() {
  vec2 step = u_direction / u_image_size;
  vec4 sum = texture2D(u_image, v_uv) * u_centerWeight;
  for (int i = 0; i < TAP_COUNT; i++) {
    vec2 d = step * u_offsets[i];
    sum += (texture2D(u_image, v_uv + d) + texture2D(u_image, v_uv - d)) * u_weights[i];
  }
  gl_FragColor = sum;
}
