// Push-pull, upward step: at each level, valid colour is laid over the
// bilinearly upsampled filled coarser level ("over" compositing with the
// valid fraction as alpha), so holes take the average of their surroundings
// from the first level at which the surroundings are seen. The coarsest level
// is normalised on its own.
#include "chunks/texel"
uniform sampler2D u_level;
uniform vec2 u_level_size;
uniform sampler2D u_coarser;
uniform vec2 u_coarser_size;
uniform float u_hasCoarser;

void main() {
  vec4 c = texelAt(u_level, u_level_size, currentTexel());
  vec3 filled;
  if (u_hasCoarser > 0.5) filled = c.rgb + (1.0 - c.a) * bilinearCovering(u_coarser, u_coarser_size, u_level_size).rgb;
  else filled = c.a > 1e-6 ? c.rgb / c.a : vec3(0.0);
  gl_FragColor = vec4(filled, 1.0);
}
