// Halves the size keeping the maximum of each 2x2 block (edge texels repeat
// on odd sizes): repeated, the strongest activity of each block.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;

void main() {
  vec2 p = 2.0 * currentTexel();
  gl_FragColor = max(max(texelAt(u_image, u_image_size, p), texelAt(u_image, u_image_size, p + vec2(1.0, 0.0))),
                     max(texelAt(u_image, u_image_size, p + vec2(0.0, 1.0)), texelAt(u_image, u_image_size, p + vec2(1.0, 1.0))));
}
