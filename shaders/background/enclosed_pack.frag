// Per-pixel statistics for the enclosed-region test (key.ts, fillEnclosed),
// averaged down the pyramid into a block's shares and means: r = certain
// backdrop (key.b), g = relative luminance difference of what was keyed from
// the backdrop estimate, b = fine texture (absolute forward differences of
// luminance, relative), a = certain piece (key.g).
#include "chunks/backdrop"

uniform sampler2D u_key;      // key_soft (after skirt_apply): b = certain backdrop, g = certain piece
uniform sampler2D u_image;    // what was keyed
uniform sampler2D u_backdrop;
uniform vec2 u_image_size;
varying vec2 v_uv;

void main() {
  vec4 key = texture2D(u_key, v_uv);
  float backdrop = luminance(texture2D(u_backdrop, v_uv).rgb);
  float lb = relativeBase(backdrop);
  float l = luminance(texture2D(u_image, v_uv).rgb);
  vec2 t = 1.0 / u_image_size;
  float lx = luminance(texture2D(u_image, v_uv + vec2(t.x, 0.0)).rgb);
  float ly = luminance(texture2D(u_image, v_uv + vec2(0.0, t.y)).rgb);
  float grain = 0.5 * (abs(lx - l) + abs(ly - l)) / lb;
  gl_FragColor = vec4(key.b, (l - backdrop) / lb, grain, key.g);
}
