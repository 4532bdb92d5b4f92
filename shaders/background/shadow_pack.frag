// Backdrop darkening where the backdrop is visible, weighted by how visible:
// (s * w, 0, 0, w) for a normalized convolution that also fills in the
// shadow under the piece.
#include "chunks/backdrop"

uniform sampler2D u_image;
uniform sampler2D u_backdrop;
uniform sampler2D u_alpha; // red
varying vec2 v_uv;

void main() {
  float w = 1.0 - smoothstep(0.0, 0.5, texture2D(u_alpha, v_uv).r);
  float s = backdropDarkening(texture2D(u_image, v_uv).rgb, texture2D(u_backdrop, v_uv).rgb);
  gl_FragColor = vec4(s * w, 0.0, 0.0, w);
}
