// Luminance and its square, to be blurred into a local mean and variance
// (local contrast tells the smooth backdrop from the detailed piece).
#include "chunks/color"

uniform sampler2D u_image;
varying vec2 v_uv;

void main() {
  float l = luminance(texture2D(u_image, v_uv).rgb);
  gl_FragColor = vec4(l, l * l, 0.0, 1.0);
}
