// The luma with small features removed, packed for reconstruction:
// (thin open, short open, thin close, short close). The openings have lost
// small bright features, the closings small dark ones: "thin" with the
// square (u_residual), "short" with the square and every line segment too
// (u_shortResidual).
#include "chunks/texel"
uniform sampler2D u_luma;
uniform vec2 u_luma_size;
uniform sampler2D u_residual;
uniform sampler2D u_shortResidual;

void main() {
  vec2 p = currentTexel();
  float y = texelAt(u_luma, u_luma_size, p).r;
  vec2 thin = texelAt(u_residual, u_luma_size, p).rg;
  vec2 shorter = texelAt(u_shortResidual, u_luma_size, p).rg;
  gl_FragColor = vec4(y - thin.x, y - shorter.x, y + thin.y, y + shorter.y);
}
