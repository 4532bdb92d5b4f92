// One blur-fusion step of foreground colour estimation (Forte & Pitie 2021):
//   F = F^ + alpha (I - alpha F^ - (1 - alpha) B)
// with F^ the alpha-weighted local mean of the previous foreground estimate
// and B the clean backdrop (known here, not blurred from the image). The
// correction puts back exactly what the compositing equation leaves over,
// so edge pixels keep the piece's colour without the backdrop's.
// The final step also inverts the compositing equation directly,
// F = (I - (1 - alpha) B) / alpha, which is what a new background needs:
// composited over C it gives I + (1 - alpha)(C - B), the best possible for
// this alpha. It is trusted from alpha 0.25 up; below, where noise divided by
// alpha would dominate, the blur-fusion estimate takes over.
// u_image is the shot with the contact shadow divided out (relight.frag), so
// that the backdrop there matches B. That division lifts the piece's part of
// an edge pixel too: I = a F + (1 - a) k B with the relight factor k = I / u_image
// gives u_image = a F / k + (1 - a) B, so what the steps solve is F / k and the
// final step multiplies k back. A fully covered pixel keeps the shot's colour.
#include "chunks/backdrop"
uniform sampler2D u_image;
uniform sampler2D u_original; // the shot before relighting
uniform sampler2D u_alpha;    // red
uniform sampler2D u_backdrop;
uniform sampler2D u_estimate; // blurred (alpha * F_previous, alpha)
uniform sampler2D u_trimap;   // trimap.frag output: g = 0 backdrop, 0.5 unknown band, 1 piece
uniform int u_final;          // 1: blend in the direct inversion, output (F * alpha, alpha); 0: (F, 1) for the next step
varying vec2 v_uv;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  float a = texture2D(u_alpha, v_uv).r;
  vec3 b = texture2D(u_backdrop, v_uv).rgb;
  vec4 e = texture2D(u_estimate, v_uv);
  vec3 local = e.a > 1e-5 ? e.rgb / e.a : c;
  vec3 f = max(local + a * (c - a * local - (1.0 - a) * b), vec3(0.0));
  if (u_final == 0) {
    gl_FragColor = vec4(f, 1.0);
    return;
  }
  vec3 direct = max(c - (1.0 - a) * b, vec3(0.0)) / max(a, 1e-4);
  f = mix(f, direct, smoothstep(0.05, 0.25, a));
  // Despill: in the trimap's unknown band an edge pixel's colour may not lie
  // closer to the backdrop than the piece's local colour does. Where alpha
  // is overestimated (up to 1 at dark edges) the inversion leaves
  // (1 - alpha_true / alpha) of B in F, which a new background shows as a
  // fringe; that component (and the towards-B half of the noise that the
  // inversion amplifies by 1 / alpha) is removed. Definite piece keeps its colour.
  // A colour that lies past B along that line (more than 1 to 1.5 times
  // |B - F^| from F^) is no mix of F^ and B but a colour of its own, e.g. a
  // dark link of a white chain on a darker backdrop: it keeps its colour
  // (taking the component off would brighten it and tint it away from B).
  float t = texture2D(u_trimap, v_uv).g;
  vec3 toward = b - local;
  float len = length(toward);
  if (t > 0.25 && t < 0.75 && len > 1e-5) {
    vec3 u = toward / len;
    float along = dot(f - local, u);
    float mixed = 1.0 - smoothstep(len, 1.5 * len, along);
    f = max(f - max(along, 0.0) * mixed * u, vec3(0.0));
  }
  f *= relightFactor(texture2D(u_original, v_uv).rgb, c);
  gl_FragColor = vec4(f * a, a);
}
