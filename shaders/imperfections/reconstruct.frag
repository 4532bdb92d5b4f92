// One step of morphological reconstruction, starting from the openings (r, g)
// and closings (b, a) of the luma (imperfections/clean): the openings grow back under the luma
// (3x3 dilation, capped by Y), the closings shrink back over it (3x3 erosion,
// floored by Y). After K steps, whatever is connected to a larger structure
// within K texels through pixels at least as bright (dark) as itself is
// restored, so facet corners, prong tips and the ends of bars are no longer
// candidates, while isolated specks and scratches stay removed. Straight
// ridges (u_ridge, imperfections/ridge: r bright, g dark) keep their value:
// the reconstruction does not run up a scratch from the facet it ends on.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_luma;
uniform sampler2D u_ridge;

void main() {
  vec2 p = currentTexel();
  vec4 current = texelAt(u_image, u_image_size, p);
  vec4 grown = current;
  for (int dy = -1; dy <= 1; dy++)
    for (int dx = -1; dx <= 1; dx++) {
      vec4 n = texelAt(u_image, u_image_size, p + vec2(float(dx), float(dy)));
      grown = vec4(max(grown.rg, n.rg), min(grown.ba, n.ba));
    }
  float y = texelAt(u_luma, u_image_size, p).r;
  vec2 ridge = texelAt(u_ridge, u_image_size, p).rg;
  gl_FragColor = mix(vec4(min(grown.rg, y), max(grown.ba, y)), current, ridge.xxyy);
}
