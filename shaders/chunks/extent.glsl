// Bounding boxes of connected structure, grown one texel a step through it
// (imperfections/extent_grow, background/island_grow). A texel holds its
// structure's box seen so far as (x0, y0, -x1, -y1), so two boxes combine by a
// component-wise min; texels outside the structure hold EXTENT_NONE, which
// loses every min.
const float EXTENT_NONE = 1e6;

// Extent (max of width and height, in texels, less one: 0 for one texel) of a box.
float boxExtent(vec4 b) {
  return max(-b.b - b.r, -b.a - b.g);
}
