// Per-pixel products the colour guided filter averages (He, Sun & Tang 2010).
// Thirteen values do not fit one RGBA target, so the pass draws this shader
// four times with u_part selecting which group to write:
//   0: I.r, I.g, I.b, p      1: I.r*p, I.g*p, I.b*p, 0
//   2: rr, rg, rb, gg        3: gb, bb, 0, 0
uniform sampler2D u_guide; // colour guide I (linear)
uniform sampler2D u_input; // filtering input p in the red channel
uniform int u_part;
varying vec2 v_uv;

void main() {
  vec3 I = texture2D(u_guide, v_uv).rgb;
  float p = texture2D(u_input, v_uv).r;
  if (u_part == 0) gl_FragColor = vec4(I, p);
  else if (u_part == 1) gl_FragColor = vec4(I * p, 0.0);
  else if (u_part == 2) gl_FragColor = vec4(I.r * I.r, I.r * I.g, I.r * I.b, I.g * I.g);
  else gl_FragColor = vec4(I.g * I.b, I.b * I.b, 0.0, 0.0);
}
