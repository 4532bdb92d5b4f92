// Adds one blurred guide level to the bilateral result, weighted by the hat
// function of this pixel's guide around the level. Alpha is the input's alpha
// (the filter smooths colour only).
#include "chunks/color"
#include "chunks/bilateral"

uniform sampler2D u_image;
uniform sampler2D u_levelBlur;   // Gaussian blur of bilateral_level output
uniform sampler2D u_previous;    // running sum over earlier levels
uniform int u_hasPrevious;
uniform float u_level;
uniform float u_spacing;
varying vec2 v_uv;

void main() {
  vec4 src = texture2D(u_image, v_uv);
  vec4 s = texture2D(u_levelBlur, v_uv);
  // A vanishing normaliser means no pixel near this level nearby; the hat
  // weight is then ~0 too, and the pixel's own colour is the safe value.
  vec3 levelValue = s.a > 1e-12 ? s.rgb / s.a : src.rgb;
  vec3 sum = bilateralLevelHat(bilateralGuide(src.rgb), u_level, u_spacing) * levelValue;
  if (u_hasPrevious == 1) sum += texture2D(u_previous, v_uv).rgb;
  gl_FragColor = vec4(sum, src.a);
}
