// Which parts of the matte stay: u_first marks the core blocks near a wide
// part (island_near) or under a "piece" hint, then each step a core block is
// kept when it or one of its 8 neighbours is. An island with any such block
// is kept whole; a wide part is near itself.
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_boxes;  // island_grow: EXTENT_NONE off the core
uniform sampler2D u_image;  // u_first: island_near; then the previous keep flags
uniform sampler2D u_pack;   // island_pack pooled to blocks: g = a "piece" hint
uniform vec2 u_image_size;
uniform int u_first;

void main() {
  vec2 p = currentTexel();
  float keep = 0.0;
  if (texelAt(u_boxes, u_image_size, p).r < EXTENT_NONE) {
    if (u_first == 1) keep = max(texelAt(u_image, u_image_size, p).r, texelAt(u_pack, u_image_size, p).g);
    else
      for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) keep = max(keep, texelAt(u_image, u_image_size, p + vec2(float(dx), float(dy))).r);
  }
  gl_FragColor = vec4(keep, keep, keep, 1.0);
}
