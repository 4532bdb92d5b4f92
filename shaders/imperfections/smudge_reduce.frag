// Halves the smudge statistics: mean of r, b, a (deviation and fine energy)
// and maximum of g (gradient); edge texels repeat on odd sizes.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;

void main() {
  vec2 p = 2.0 * currentTexel();
  vec4 a = texelAt(u_image, u_image_size, p);
  vec4 b = texelAt(u_image, u_image_size, p + vec2(1.0, 0.0));
  vec4 c = texelAt(u_image, u_image_size, p + vec2(0.0, 1.0));
  vec4 d = texelAt(u_image, u_image_size, p + vec2(1.0, 1.0));
  vec4 mean = 0.25 * (a + b + c + d);
  gl_FragColor = vec4(mean.r, max(max(a.g, b.g), max(c.g, d.g)), mean.b, mean.a);
}
