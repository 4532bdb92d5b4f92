// Takes the skirt out of the key: where a skirt-like pixel was reached from
// the backdrop (skirt_grow, at a coarser level), its contrast and certainty
// of being piece go and it counts as certain backdrop; a pixel deeper than
// shadowMax only where the growth came through evidence of a shadow. a = how
// much was taken out, so shadow_seed can carry the removed core's depth
// (the second relight).
#include "chunks/backdrop"

uniform sampler2D u_key;      // key_soft output, a >= 0 where skirt-like
uniform sampler2D u_reached;  // r: reached, g: through shadow evidence; coarse (sampled bilinearly)
uniform sampler2D u_backdrop;
uniform float u_shadowMax;
varying vec2 v_uv;

#define DEEP_SKIRT 0.9 // as in key_soft

void main() {
  vec4 key = texture2D(u_key, v_uv);
  vec3 b = texture2D(u_backdrop, v_uv).rgb;
  bool deep = key.a > DEEP_SKIRT * u_shadowMax * length(b) / backdropScale(b);
  vec2 reached = texture2D(u_reached, v_uv).rg;
  float s = step(0.0, key.a) * smoothstep(0.25, 0.75, deep ? reached.g : reached.r);
  gl_FragColor = vec4(key.r * (1.0 - s), key.g * (1.0 - s), max(key.b, step(0.5, s)), s);
}
