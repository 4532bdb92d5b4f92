// Grows the defect mask by one texel (3x3 maximum) so the soft rim of a speck
// or scratch, below the detection threshold but still visible, is filled too.
#include "chunks/texel"
uniform sampler2D u_mask;
uniform vec2 u_mask_size;

void main() {
  vec2 p = currentTexel();
  float m = 0.0;
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++) m = max(m, texelAt(u_mask, u_mask_size, p + vec2(float(dx), float(dy))).r);
  gl_FragColor = vec4(m, m, m, 1.0);
}
