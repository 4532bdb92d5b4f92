// Guided filter output q = mean(a) . I + mean(b) at the guide's resolution.
// mean(a), mean(b) may come from a coarser level (fast guided filter, He &
// Sun 2015): bilinear upsampling keeps them smooth while I brings the edges.
// With a trimap, q is capped by its blue channel and its definite regions
// stay exactly 0 or 1.
uniform sampler2D u_guide;
uniform sampler2D u_coeffs;  // mean a (rgb), mean b (alpha)
uniform sampler2D u_trimap;  // green: 0 background, 0.5 unknown, 1 foreground; blue: upper bound of q
uniform int u_hasTrimap;
uniform int u_clamp;         // 1: clamp q to 0..1 (a matte)
varying vec2 v_uv;

void main() {
  vec4 ab = texture2D(u_coeffs, v_uv);
  float q = dot(ab.rgb, texture2D(u_guide, v_uv).rgb) + ab.a;
  if (u_clamp == 1) q = clamp(q, 0.0, 1.0);
  if (u_hasTrimap == 1) {
    vec4 trimap = texture2D(u_trimap, v_uv);
    q = min(q, trimap.b);
    float t = trimap.g;
    if (t > 0.75) q = 1.0;
    else if (t < 0.25) q = 0.0;
  }
  gl_FragColor = vec4(vec3(q), 1.0);
}
