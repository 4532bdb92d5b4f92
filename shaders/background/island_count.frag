// 1 at the labelled block of each island that goes (core, not kept,
// island_keep's label its own position), 0 elsewhere: summed, the number of
// islands taken out of the matte, for the pass's note.
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_boxes;  // island_grow
uniform sampler2D u_keep;   // island_keep: r kept, gb label (row, column)
uniform vec2 u_boxes_size;

void main() {
  vec2 p = currentTexel();
  vec4 k = texelAt(u_keep, u_boxes_size, p);
  float first = texelAt(u_boxes, u_boxes_size, p).r < EXTENT_NONE && k.r < 0.5 && k.g == p.y && k.b == p.x ? 1.0 : 0.0;
  gl_FragColor = vec4(first, first, first, 1.0);
}
