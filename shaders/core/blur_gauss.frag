// One direction of a separable Gaussian. Neighbouring taps are merged into a
// single bilinear fetch at their weighted midpoint (linear-sampling taps), so
// MAX_TAPS fetches cover a kernel radius of about 2 * MAX_TAPS texels.
#define MAX_TAPS 16

uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_direction;            // (1,0) or (0,1)
uniform float u_centerWeight;
uniform float u_offsets[MAX_TAPS];   // texel offsets of merged taps (> 0)
uniform float u_weights[MAX_TAPS];   // each applied at +offset and -offset
uniform int u_tapCount;
varying vec2 v_uv;

void main() {
  vec2 step = u_direction / u_image_size;
  vec4 sum = texture2D(u_image, v_uv) * u_centerWeight;
  for (int i = 0; i < MAX_TAPS; i++) {
    if (i >= u_tapCount) break;
    vec2 d = step * u_offsets[i];
    sum += (texture2D(u_image, v_uv + d) + texture2D(u_image, v_uv - d)) * u_weights[i];
  }
  gl_FragColor = sum;
}
