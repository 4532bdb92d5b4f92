// Arithmetic blend of two images: out = a * u_weightA + b * u_weightB in the
// chosen mode, optionally masked. Used for recombination (add), differences
// (subtract), gains (multiply) and plain mixes.
uniform sampler2D u_a;
uniform sampler2D u_b;
uniform sampler2D u_mask;
uniform int u_hasMask;
uniform int u_mode;        // 0 mix, 1 add, 2 subtract, 3 multiply, 4 divide, 5 screen, 6 min, 7 max
uniform float u_weightA;
uniform float u_weightB;
uniform float u_opacity;   // final mix of the result over a
varying vec2 v_uv;

void main() {
  vec4 a = texture2D(u_a, v_uv);
  vec4 b = texture2D(u_b, v_uv);
  vec4 wa = a * u_weightA;
  vec4 wb = b * u_weightB;
  vec4 r;
  if (u_mode == 0) r = mix(a, b, u_weightB);
  else if (u_mode == 1) r = wa + wb;
  else if (u_mode == 2) r = wa - wb;
  else if (u_mode == 3) r = wa * wb;
  else if (u_mode == 4) r = wa / max(wb, vec4(1e-6));
  else if (u_mode == 5) r = wa + wb - wa * wb;
  else if (u_mode == 6) r = min(wa, wb);
  else r = max(wa, wb);
  float m = u_opacity;
  if (u_hasMask == 1) m *= texture2D(u_mask, v_uv).r;
  gl_FragColor = mix(a, r, m);
}
