// Final step of the fill: masked texels get the smooth fill (push-pull, then
// membrane relaxation), blended towards an interpolation along
// the local edge/grain direction where the surroundings are oriented, so a
// facet edge or brushed grain crossing a defect continues through it.
// Writes the fill itself (not yet blended by the mask) where the mask is
// non-zero, the image elsewhere; fill_texture adds texture and blends.
#include "chunks/texel"
#include "chunks/imperfections"
#define MAX_REACH 64
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;
uniform sampler2D u_smooth;
uniform sampler2D u_tensor;
uniform float u_reach;

void main() {
  vec2 p = currentTexel();
  vec4 original = texelAt(u_image, u_image_size, p);
  float m = texelAt(u_mask, u_image_size, p).r;
  if (m <= 0.0) {
    gl_FragColor = original;
    return;
  }
  vec3 smoothFill = texelAt(u_smooth, u_image_size, p).rgb;

  vec4 t = texelAt(u_tensor, u_image_size, p);
  vec3 j = validMean(t, vec3(0.0)); // tensor (Jxx, Jxy, Jyy) averaged over valid gradients
  float spread = sqrt((j.x - j.z) * (j.x - j.z) + 4.0 * j.y * j.y);
  float coherence = spread / (j.x + j.z + 1e-12);
  // Dominant gradient angle; edges and grain run perpendicular to it.
  float theta = 0.5 * atan(2.0 * j.y, j.x - j.z + 1e-12);
  vec2 along = vec2(-sin(theta), cos(theta));

  vec3 sideA = vec3(0.0);
  vec3 sideB = vec3(0.0);
  float distA = 0.0;
  float distB = 0.0;
  for (int k = 1; k <= MAX_REACH; k++) {
    if (float(k) > u_reach || (distA > 0.0 && distB > 0.0)) break;
    vec2 o = floor(float(k) * along + 0.5);
    if (distA == 0.0 && texelAt(u_mask, u_image_size, p + o).r < VALID_MASK) {
      distA = float(k);
      sideA = texelAt(u_image, u_image_size, p + o).rgb;
    }
    if (distB == 0.0 && texelAt(u_mask, u_image_size, p - o).r < VALID_MASK) {
      distB = float(k);
      sideB = texelAt(u_image, u_image_size, p - o).rgb;
    }
  }
  vec3 fill = smoothFill;
  if (distA > 0.0 && distB > 0.0) fill = mix(smoothFill, (sideA * distB + sideB * distA) / (distA + distB), coherence);
  gl_FragColor = vec4(fill, original.a);
}
