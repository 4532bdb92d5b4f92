// Texture layer for the fill's patch matching: the image minus its local
// mean over valid texels (rgb), and the validity 1 - mask (a).
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;
uniform sampler2D u_low;

void main() {
  vec2 p = currentTexel();
  vec3 c = texelAt(u_image, u_image_size, p).rgb;
  gl_FragColor = vec4(c - validMean(texelAt(u_low, u_image_size, p), c), 1.0 - texelAt(u_mask, u_image_size, p).r);
}
