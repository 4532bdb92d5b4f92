// Which parts of the matte stay: u_first marks the core blocks near a wide
// part (island_near) or under a "piece" hint, then each step a core block is
// kept when it or one of its 8 neighbours is. An island with any such block
// is kept whole; a wide part is near itself. The same steps carry a label
// through each part: the smallest (row, column) of its blocks, in g and b,
// so that island_count can count each island once at the block so labelled.
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_boxes;  // island_grow: EXTENT_NONE off the core
uniform sampler2D u_image;  // u_first: island_near; then the previous keep flags
uniform sampler2D u_pack;   // island_pack pooled to blocks: g = a "piece" hint
uniform vec2 u_image_size;
uniform int u_first;

bool core(vec2 texel) {
  return texelAt(u_boxes, u_image_size, texel).r < EXTENT_NONE;
}

void main() {
  vec2 p = currentTexel();
  if (!core(p)) {
    gl_FragColor = vec4(0.0, EXTENT_NONE, EXTENT_NONE, 1.0);
    return;
  }
  if (u_first == 1) {
    gl_FragColor = vec4(max(texelAt(u_image, u_image_size, p).r, texelAt(u_pack, u_image_size, p).g), p.y, p.x, 1.0);
    return;
  }
  vec4 own = texelAt(u_image, u_image_size, p);
  float keep = own.r;
  vec2 label = own.gb;
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++) {
      vec2 q = p + vec2(float(dx), float(dy));
      if (!core(q)) continue;
      vec4 other = texelAt(u_image, u_image_size, q);
      keep = max(keep, other.r);
      if (other.g < label.x || other.g == label.x && other.b < label.y) label = other.gb;
    }
  gl_FragColor = vec4(keep, label, 1.0);
}
