// Weights of the second surround estimate: a texel whose low-passed colour is
// well off the first (plain) surround is likely inside a blotch and weighs
// little, so the surround is taken from around the blotch, not through it.
// Output: (w x clipped colour, w), blurred next (normalised convolution).
#include "chunks/texel"
uniform sampler2D u_clipped;
uniform vec2 u_clipped_size;
uniform sampler2D u_low;
uniform sampler2D u_coarse;
uniform float u_weightScale;

void main() {
  vec2 p = currentTexel();
  vec3 d = texelAt(u_low, u_clipped_size, p).rgb - texelAt(u_coarse, u_clipped_size, p).rgb;
  float w = exp(-dot(d, d) / (u_weightScale * u_weightScale));
  gl_FragColor = vec4(w * texelAt(u_clipped, u_clipped_size, p).rgb, w);
}
