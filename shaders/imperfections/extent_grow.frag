// One step of bounding-box propagation through 8-connected thin features:
// every feature texel takes the union of its neighbours' boxes (all four
// channels combine with min). After K steps each texel knows the extent of
// its connected feature within K texels: short for specks and scratches,
// long for chains, engraving and texture. Bounded: K is fixed by scratchLength.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_image;
uniform vec2 u_image_size;

void main() {
  vec2 p = currentTexel();
  vec4 box = texelAt(u_image, u_image_size, p);
  if (box.r < EXTENT_NONE) {
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) box = min(box, texelAt(u_image, u_image_size, p + vec2(float(dx), float(dy))));
  }
  gl_FragColor = box;
}
