// Per texel, for the block statistics: r = squared blotch deviation, g =
// gradient of the low-passed colour per u_lowSigma (RGB norm, central
// differences), b = fine energy (low-passed), a = 1.
#include "chunks/texel"
#include "chunks/smudge"
uniform sampler2D u_low;
uniform vec2 u_low_size;
uniform sampler2D u_surround;
uniform float u_lowSigma;

void main() {
  vec2 p = currentTexel();
  vec4 low = texelAt(u_low, u_low_size, p);
  vec3 d = smudgeDeviation(low, texelAt(u_surround, u_low_size, p));
  vec3 gx = 0.5 * (texelAt(u_low, u_low_size, p + vec2(1.0, 0.0)).rgb - texelAt(u_low, u_low_size, p - vec2(1.0, 0.0)).rgb);
  vec3 gy = 0.5 * (texelAt(u_low, u_low_size, p + vec2(0.0, 1.0)).rgb - texelAt(u_low, u_low_size, p - vec2(0.0, 1.0)).rgb);
  gl_FragColor = vec4(dot(d, d), sqrt(dot(gx, gx) + dot(gy, gy)) * u_lowSigma, low.a, 1.0);
}
