// The local activity level: the third lowest of the 3x3 neighbouring blocks'
// levels min(u_meanFactor x mean, mean + u_tailFactor x standard deviation)
// of the thin-feature residual (u_blocks holds block means of (v, v^2)). Texture and noise are in
// most blocks and set it; a defect (or a chain strand) raises at most a few
// blocks and so not its own threshold.
#include "chunks/texel"
uniform sampler2D u_blocks;
uniform vec2 u_blocks_size;
uniform float u_tailFactor;
uniform float u_meanFactor;

void main() {
  vec2 p = currentTexel();
  float v[9];
  for (int i = 0; i < 9; i++) {
    vec2 m = texelAt(u_blocks, u_blocks_size, p + vec2(float(i - 3 * (i / 3) - 1), float(i / 3 - 1))).rg;
    v[i] = min(u_meanFactor * m.x, m.x + u_tailFactor * sqrt(max(0.0, m.y - m.x * m.x)));
  }
  // Rank 2 (0-based): the value with exactly two smaller ones (ties broken by index).
  float third = 0.0;
  for (int i = 0; i < 9; i++) {
    int below = 0;
    for (int j = 0; j < 9; j++)
      if (v[j] < v[i] || (v[j] == v[i] && j < i)) below++;
    if (below == 2) third = v[i];
  }
  gl_FragColor = vec4(third);
}
