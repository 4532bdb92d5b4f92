// Seeds the shadow estimate used to relight the image before keying:
// (darkening * w, w), per channel (a shadow beside gold is warm), w = 1 on
// shadow-like and bare backdrop pixels
// and 0 on the piece, so a normalized convolution carries the shadow's depth
// in under the piece's edges, where the shadow test cannot see it. After the
// skirt removal the same seeds the second relight, with a = the skirt taken
// out of the key (skirt_apply).
#include "chunks/backdrop"

uniform sampler2D u_image;
uniform sampler2D u_backdrop;
uniform sampler2D u_key; // key_soft output: b = backdrop, a = shadow-like
varying vec2 v_uv;

void main() {
  vec4 key = texture2D(u_key, v_uv);
  float w = max(key.a, key.b);
  vec3 s = key.a * channelDarkening(texture2D(u_image, v_uv).rgb, texture2D(u_backdrop, v_uv).rgb);
  gl_FragColor = vec4(s * w, w);
}
