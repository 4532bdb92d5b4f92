// Width in pixels of the part each core block belongs to (0 off the core),
// pooled by core/max_down to the widest part of the matte (island_near).
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_boxes;  // island_grow
uniform vec2 u_boxes_size;

void main() {
  vec4 box = texelAt(u_boxes, u_boxes_size, currentTexel());
  float width = box.r < EXTENT_NONE ? boxExtent(box) + 1.0 : 0.0;
  gl_FragColor = vec4(width, width, width, 1.0);
}
