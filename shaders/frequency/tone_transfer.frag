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
  gl_FragColor = vec4(src.rgb * ((target + u_epsilon) / (luminance(src.rgb) + u_epsilon)), src.a);
}
