// Per block: r = activity (RMS deviation, third lowest of the 3x3 blocks), g =
// structure (largest gradient in the 3x3 blocks), b = fine level (RMS fine
// energy, third lowest). A blotch raises only its own few blocks, so not its
// own threshold; an edge anywhere in the 3x3 blocks vetoes the area.
#include "chunks/texel"
#include "chunks/rank"
uniform sampler2D u_blocks;
uniform vec2 u_blocks_size;

void main() {
  vec2 p = currentTexel();
  vec2 levels[9]; // (deviation, fine) per block
  float edge = 0.0;
  for (int i = 0; i < 9; i++) {
    vec4 b = texelAt(u_blocks, u_blocks_size, p + vec2(float(i - 3 * (i / 3) - 1), float(i / 3 - 1)));
    levels[i] = b.rb;
    edge = max(edge, b.g);
  }
  vec2 third = sqrt(thirdLowest(levels));
  gl_FragColor = vec4(third.x, edge, third.y, 1.0);
}
