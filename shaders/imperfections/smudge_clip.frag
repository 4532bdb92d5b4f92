// rgb: the colour with its deviation from the coarse surround clipped to
// +-u_clip, so specks and sharp edges add little to the blotch estimate;
// a: fine energy, the squared distance to a 5x5 Gaussian (sigma 1) mean
// (texture, noise, edges: raises the threshold where the surface is not smooth).
#include "chunks/texel"
uniform sampler2D u_display;
uniform vec2 u_display_size;
uniform sampler2D u_coarse;
uniform float u_clip;

void main() {
  vec2 p = currentTexel();
  vec3 mean = vec3(0.0);
  float total = 0.0;
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++) {
      float w = exp(-0.5 * float(dx * dx + dy * dy));
      mean += w * texelAt(u_display, u_display_size, p + vec2(float(dx), float(dy))).rgb;
      total += w;
    }
  vec3 c = texelAt(u_display, u_display_size, p).rgb;
  vec3 coarse = texelAt(u_coarse, u_display_size, p).rgb;
  vec3 fine = c - mean / total;
  gl_FragColor = vec4(coarse + clamp(c - coarse, -u_clip, u_clip), dot(fine, fine));
}
