// One step of bounding-box propagation through thin features: every feature
// texel takes the union of its 8 neighbours' boxes (all four channels combine
// with min). After K steps each texel knows the extent of its connected
// feature within K texels: short for specks and scratches, long for chains,
// engraving and texture. Bounded: K is fixed by scratchLength.
// Elongated pieces (extent >= LINK_EXTENT) also join across a one-texel gap:
// a chain whose links fall below the structure threshold in between is one
// structure, not runs of links that pass for scratches and get healed away.
// Specks are compact and do not bridge, so dust beside a chain stays a defect.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_image;
uniform vec2 u_image_size;

void main() {
  vec2 p = currentTexel();
  vec4 box = texelAt(u_image, u_image_size, p);
  if (box.r < EXTENT_NONE) {
    bool elongated = boxExtent(box) >= LINK_EXTENT;
    for (int dy = -2; dy <= 2; dy++)
      for (int dx = -2; dx <= 2; dx++) {
        vec2 offset = vec2(float(dx), float(dy));
        vec4 other = texelAt(u_image, u_image_size, p + offset);
        bool adjacent = max(abs(offset.x), abs(offset.y)) < 1.5;
        if (adjacent || (elongated && other.r < EXTENT_NONE && boxExtent(other) >= LINK_EXTENT)) box = min(box, other);
      }
  }
  gl_FragColor = box;
}
