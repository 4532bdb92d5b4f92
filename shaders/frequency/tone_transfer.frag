// The smoothed layer's tone on the original's colour: rgb * L(smoothed) / L(rgb)
// (linear-light luminance ratio, so chromaticity is kept exactly). The
// luminance-guided bilateral cannot tell a gold band from a white or linen
// backdrop of similar luminance and blends their colours; taking only its
// luminance evens out tone blotches without moving hue or saturation.
// u_epsilon keeps the ratio bounded where the layer is (near) black.
#include "chunks/color"

uniform sampler2D u_image;
uniform sampler2D u_smoothed;
uniform float u_epsilon;
varying vec2 v_uv;

void main() {
  vec4 src = texture2D(u_image, v_uv);
  float target = luminance(texture2D(u_smoothed, v_uv).rgb);
  // max(.., 0): a negative-luminance input must not flip or blow up the gain.
  float gain = (max(target, 0.0) + u_epsilon) / (max(luminance(src.rgb), 0.0) + u_epsilon);
  gl_FragColor = vec4(src.rgb * gain, src.a);
}
