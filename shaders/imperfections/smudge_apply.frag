// Removes the blotch: display colour minus mask x deviation (the low
// frequencies only, so texture and the print's surroundings stay), back to
// linear premultiplied. Texels with mask 0 are returned as read.
#include "chunks/texel"
#include "chunks/smudge"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;
uniform sampler2D u_low;
uniform sampler2D u_surround;

void main() {
  vec2 p = currentTexel();
  vec4 c = texelAt(u_image, u_image_size, p);
  float m = texelAt(u_mask, u_image_size, p).r;
  if (m == 0.0) {
    gl_FragColor = c;
    return;
  }
  vec3 d = smudgeDeviation(texelAt(u_low, u_image_size, p), texelAt(u_surround, u_image_size, p));
  vec3 straight = srgbToLinear(max(smudgeDisplay(c) - m * d, 0.0));
  gl_FragColor = premultiply(vec4(straight, c.a));
}
