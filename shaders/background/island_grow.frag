// Bounding boxes of the matte's parts on blocks (island_pack pooled to
// blocks by their maximum). u_first: every block of the core starts with its
// own box; then each step a core block takes the union of its 8 neighbours'
// boxes. After more steps than an island is wide, an island's blocks know
// its whole box and every other part's blocks know one wider than an island.
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_image;  // u_first: the pooled pack; then the previous boxes
uniform vec2 u_image_size;
uniform int u_first;

void main() {
  vec2 p = currentTexel();
  vec4 own = texelAt(u_image, u_image_size, p);
  if (u_first == 1) {
    gl_FragColor = own.r < 0.5 ? vec4(EXTENT_NONE) : vec4(p, -p);
    return;
  }
  vec4 box = own;
  if (box.r < EXTENT_NONE)
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) box = min(box, texelAt(u_image, u_image_size, p + vec2(float(dx), float(dy))));
  gl_FragColor = box;
}
