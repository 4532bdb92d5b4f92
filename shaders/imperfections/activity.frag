// The local activity level: per residual, the third lowest of the 3x3
// neighbouring blocks' levels min(u_meanFactor x mean, mean + u_tailFactor x
// standard deviation) (u_blocks holds block means of (v, v^2) of the thin-
// feature residual in r, g and of the short-feature residual in b, a).
// Texture and noise are in most blocks and set it; a defect (or a chain
// strand) raises at most a few blocks and so not its own threshold. The
// activity is the short-feature level, but at least the thin-feature one,
// counted up to u_activityCap: long structure, which only the
// square residual holds, then raises it less.
#include "chunks/texel"
#include "chunks/rank"
uniform sampler2D u_blocks;
uniform vec2 u_blocks_size;
uniform float u_tailFactor;
uniform float u_meanFactor;
uniform float u_activityCap;

float level(vec2 m) {
  return min(u_meanFactor * m.x, m.x + u_tailFactor * sqrt(max(0.0, m.y - m.x * m.x)));
}

void main() {
  vec2 p = currentTexel();
  vec2 v[9];
  for (int i = 0; i < 9; i++) {
    vec4 m = texelAt(u_blocks, u_blocks_size, p + vec2(float(i - 3 * (i / 3) - 1), float(i / 3 - 1)));
    v[i] = vec2(level(m.rg), level(m.ba));
  }
  vec2 third = thirdLowest(v);
  gl_FragColor = vec4(third.x, max(third.y, min(third.x, u_activityCap)), 0.0, 1.0);
}
