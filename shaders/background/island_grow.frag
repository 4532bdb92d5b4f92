// Bounding boxes (in pixels) of the matte's parts, on blocks. u_first: every
// block of the core starts with the box of its own core pixels (island_pack's
// u_box output pooled to blocks by their maximum); then each step a core
// block takes the union of its 8 neighbours' boxes. After more steps than an
// island is wide in blocks, an island's blocks know its whole box and every
// other part's blocks know one wider than an island.
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_image;  // u_first: the pooled pixel boxes (-x0, -y0, x1, y1); then the previous boxes
uniform vec2 u_image_size;
uniform int u_first;

void main() {
  vec2 p = currentTexel();
  vec4 own = texelAt(u_image, u_image_size, p);
  if (u_first == 1) {
    gl_FragColor = own.b < 0.0 ? vec4(EXTENT_NONE) : -own;
    return;
  }
  vec4 box = own;
  if (box.r < EXTENT_NONE)
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) box = min(box, texelAt(u_image, u_image_size, p + vec2(float(dx), float(dy))));
  gl_FragColor = box;
}
