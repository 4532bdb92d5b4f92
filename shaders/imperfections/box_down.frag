// Halves the size by averaging 2x2 blocks of texels (edge texels repeat on odd
// sizes). Used for the detection's coarse levels and for push-pull filling,
// whose inputs are premultiplied by their weight so a plain average is a
// weighted one.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;

void main() {
  vec2 p = 2.0 * currentTexel();
  gl_FragColor = 0.25 * (texelAt(u_image, u_image_size, p) + texelAt(u_image, u_image_size, p + vec2(1.0, 0.0)) +
                         texelAt(u_image, u_image_size, p + vec2(0.0, 1.0)) + texelAt(u_image, u_image_size, p + vec2(1.0, 1.0)));
}
