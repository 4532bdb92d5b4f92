// Structure tensor of the perceptual luma from central differences, weighted
// by validity: a gradient that touches a masked texel is the defect's, not the
// surroundings', and is left out. Blurred, (Jxx, Jxy, Jyy, w) / w gives the
// orientation of edges and grain around each hole.
#include "chunks/color"
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_mask;

float lumaAt(vec2 p) {
  return linearToSrgb1(luminance(unpremultiply(texelAt(u_image, u_image_size, p)).rgb));
}
float validAt(vec2 p) {
  return 1.0 - texelAt(u_mask, u_image_size, p).r;
}

void main() {
  vec2 p = currentTexel();
  vec2 dx = vec2(1.0, 0.0);
  vec2 dy = vec2(0.0, 1.0);
  float w = min(validAt(p), min(min(validAt(p + dx), validAt(p - dx)), min(validAt(p + dy), validAt(p - dy))));
  float gx = 0.5 * (lumaAt(p + dx) - lumaAt(p - dx));
  float gy = 0.5 * (lumaAt(p + dy) - lumaAt(p - dy));
  gl_FragColor = w * vec4(gx * gx, gx * gy, gy * gy, 1.0);
}
