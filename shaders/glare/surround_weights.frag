// Weighted base for the normalised convolution that estimates the glare-free
// tone around each pixel: (base * w, w), w = 0 on highlights, off the piece
// (when a matte is given) and, from the second iteration on, on pixels
// elevated above the previous estimate. A Gaussian blur then holds
// sum(w * base) in rgb and sum(w) in alpha.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_base;
uniform sampler2D u_raw;
uniform sampler2D u_matte;
uniform int u_hasMatte;
uniform sampler2D u_surround;    // previous iteration's blurred weights
uniform int u_hasSurround;
uniform float u_threshold;
uniform float u_blownLevel;
uniform float u_excess;
varying vec2 v_uv;

void main() {
  vec3 base = texture2D(u_base, v_uv).rgb;
  float w = 1.0 - glareHighlight(base, texture2D(u_raw, v_uv), u_threshold, u_blownLevel);
  if (u_hasMatte == 1) w *= texture2D(u_matte, v_uv).r;
  if (u_hasSurround == 1) {
    vec4 s = texture2D(u_surround, v_uv);
    if (s.a > 1e-6) w *= 1.0 - glareElevation(base, s.rgb / s.a, u_excess);
  }
  gl_FragColor = vec4(base * w, w);
}
