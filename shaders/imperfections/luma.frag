// Perceptual luma (sRGB-encoded Rec. 709 luminance of the straight colour) in
// every channel. Detection thresholds are set in this space so that one
// contrast means the same visibility in shadows and highlights.
#include "chunks/color"
uniform sampler2D u_image;
varying vec2 v_uv;

void main() {
  vec4 c = unpremultiply(texture2D(u_image, v_uv));
  gl_FragColor = vec4(linearToSrgb1(luminance(c.rgb)));
}
