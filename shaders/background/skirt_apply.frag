// Takes the skirt out of the key: where a skirt-like pixel was reached from
// the backdrop (skirt_grow, at a coarser level), its contrast and certainty
// of being piece go and it counts as certain backdrop.
uniform sampler2D u_key;     // key_soft output, a >= 0 where skirt-like
uniform sampler2D u_reached; // r: reached, coarse (sampled bilinearly)
varying vec2 v_uv;

void main() {
  vec4 key = texture2D(u_key, v_uv);
  float s = step(0.0, key.a) * smoothstep(0.25, 0.75, texture2D(u_reached, v_uv).r);
  gl_FragColor = vec4(key.r * (1.0 - s), key.g * (1.0 - s), max(key.b, step(0.5, s)), 0.0);
}
