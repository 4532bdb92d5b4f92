// One guide level of the range-level bilateral: (rgb * w, w), w the range
// weight of this pixel's guide to the level. A Gaussian blur of this image
// holds the level's weighted sum in rgb and its normaliser in alpha.
#include "chunks/color"
#include "chunks/bilateral"

uniform sampler2D u_image;
uniform float u_level;
uniform float u_rangeSigma;
varying vec2 v_uv;

void main() {
  vec3 rgb = texture2D(u_image, v_uv).rgb;
  float w = bilateralRangeWeight(bilateralGuide(rgb), u_level, u_rangeSigma);
  gl_FragColor = vec4(rgb * w, w);
}
