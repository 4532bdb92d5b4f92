// Texture layer for the fill's patch matching: the image minus its edge-aware
// local mean over valid texels (chunks/texture_layer), and the validity
// 1 - mask (a). Only texels within the texture stage's reach of a masked one
// are ever read; elsewhere the layer is left 0 (the bilateral is the costly
// part of the fill).
#include "chunks/texel"
#include "chunks/color"
#include "chunks/bilateral"
#include "chunks/texture_layer"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;
uniform sampler2D u_near;  // push-pull level: alpha = mean validity of each block
uniform vec2 u_near_size;
uniform float u_nearBlock; // texels per block side, at least the texture stage's reach

void main() {
  vec2 p = currentTexel();
  float validity = 1.0 - texelAt(u_mask, u_image_size, p).r;
  vec2 block = floor(p / u_nearBlock);
  float nearHole = 0.0;
  for (int j = -1; j <= 1; j++)
    for (int i = -1; i <= 1; i++) nearHole = max(nearHole, step(texelAt(u_near, u_near_size, block + vec2(float(i), float(j))).a, 0.999999));
  if (nearHole == 0.0) {
    gl_FragColor = vec4(0.0, 0.0, 0.0, validity);
    return;
  }
  vec3 c = texelAt(u_image, u_image_size, p).rgb;
  gl_FragColor = vec4(c - edgeAwareValidMean(u_image, u_mask, u_image_size, p, bilateralGuide(c), c), validity);
}
