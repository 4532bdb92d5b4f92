// One step of morphological reconstruction, starting from the openings (r, g)
// and closings (b, a) of the luma (imperfections/clean): the openings grow back under the luma
// (3x3 dilation, capped by Y), the closings shrink back over it (3x3 erosion,
// floored by Y). After K steps, whatever is connected to a larger structure
// within K texels through pixels at least as bright (dark) as itself is
// restored, so facet corners, prong tips and the ends of bars are no longer
// candidates, while isolated specks and scratches stay removed.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_luma;

void main() {
  vec2 p = currentTexel();
  vec4 grown = texelAt(u_image, u_image_size, p);
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++) {
      vec4 n = texelAt(u_image, u_image_size, p + vec2(float(dx), float(dy)));
      grown = vec4(max(grown.rg, n.rg), min(grown.ba, n.ba));
    }
  float y = texelAt(u_luma, u_image_size, p).r;
  gl_FragColor = vec4(min(grown.rg, y), max(grown.ba, y));
}
