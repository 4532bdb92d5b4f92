// Shadow layer: the smoothed darkening (shadow_pack, blurred), minus a noise
// floor, as a mask (r = g = b = opacity of the darkening, a = 1).
uniform sampler2D u_packed; // blurred (s * w, 0, 0, w)
uniform float u_threshold;  // darkening below this is backdrop noise, not shadow
varying vec2 v_uv;

void main() {
  vec4 p = texture2D(u_packed, v_uv);
  float s = p.a > 1e-5 ? p.r / p.a : 0.0;
  s = max(s - u_threshold, 0.0) / (1.0 - u_threshold);
  gl_FragColor = vec4(vec3(s), 1.0);
}
