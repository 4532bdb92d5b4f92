// Blocks within ISLAND_GAP blocks (Chebyshev) of a marked block, as a
// separable maximum: first along x, then along y over that result
// (u_fromBoxes = 0: the mark is the red channel, e.g. the kept blocks). Over
// the boxes (u_fromBoxes = 1) a block is marked when its part is wider or
// higher than u_islandSize pixels and than ISLAND_SHARE of the widest part,
// so that the piece of a small frame is never an island. r = 1 near a mark.
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_direction;
uniform int u_fromBoxes;
uniform float u_islandSize;
uniform sampler2D u_widest;  // 1x1: width in pixels of the widest part (island_extent pooled)

const float ISLAND_SHARE = 0.25;

float wide(vec2 texel) {
  vec4 v = texelAt(u_image, u_image_size, texel);
  if (u_fromBoxes == 0) return v.r;
  float limit = min(u_islandSize, ISLAND_SHARE * texture2D(u_widest, vec2(0.5)).r);
  return v.r < EXTENT_NONE && boxExtent(v) + 1.0 > limit ? 1.0 : 0.0;
}

void main() {
  vec2 p = currentTexel();
  float near = 0.0;
  for (int k = -ISLAND_GAP; k <= ISLAND_GAP; k++) {
    vec2 q = p + float(k) * u_direction;
    if (q.x < 0.0 || q.y < 0.0 || q.x >= u_image_size.x || q.y >= u_image_size.y) continue;
    near = max(near, wide(q));
  }
  gl_FragColor = vec4(near, near, near, 1.0);
}
