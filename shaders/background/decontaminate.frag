// One blur-fusion step of foreground colour estimation (Forte & Pitie 2021):
//   F = F^ + alpha (I - alpha F^ - (1 - alpha) B)
// with F^ the alpha-weighted local mean of the previous foreground estimate
// and B the clean backdrop (known here, not blurred from the image). The
// correction puts back exactly what the compositing equation leaves over,
// so edge pixels keep the piece's colour without the backdrop's.
uniform sampler2D u_image;
uniform sampler2D u_alpha;    // red
uniform sampler2D u_backdrop;
uniform sampler2D u_estimate; // blurred (alpha * F_previous, alpha)
uniform int u_premultiplied;  // 1: output (F * alpha, alpha); 0: (F, 1) for the next step
varying vec2 v_uv;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  float a = texture2D(u_alpha, v_uv).r;
  vec3 b = texture2D(u_backdrop, v_uv).rgb;
  vec4 e = texture2D(u_estimate, v_uv);
  vec3 local = e.a > 1e-5 ? e.rgb / e.a : c;
  vec3 f = max(local + a * (c - a * local - (1.0 - a) * b), vec3(0.0));
  gl_FragColor = u_premultiplied == 1 ? vec4(f * a, a) : vec4(f, 1.0);
}
