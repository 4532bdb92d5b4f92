// The luma with small features removed, packed for reconstruction:
// (open, open, close, close). The opening has lost small bright features,
// the closing small dark ones.
#include "chunks/texel"
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
uniform sampler2D u_residual;

void main() {
  vec2 p = currentTexel();
  float y = texelAt(u_luma, u_luma_size, p).r;
  vec4 r = texelAt(u_residual, u_luma_size, p);
  gl_FragColor = vec4(y - r.r, y - r.r, y + r.g, y + r.g);
}
