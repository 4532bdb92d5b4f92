// An enclosed block (not reached from the open backdrop through certain
// backdrop, and holding no certain piece: inside a piece's outline, a
// ring's hole, a loop of chain) is piece when, pooled over its enclosed
// 3x3 neighbours, it is brighter than the backdrop estimate by more than
// u_contrast times the mean |difference| of open backdrop blocks AND its
// texture exceeds u_texture times theirs: white metal on white reflects the
// light, so as a region it is brighter and busier than the bare backdrop
// even where each pixel is within the noise. A hole shows the backdrop
// itself (no mean difference, noise only) or the piece's shadow, which is
// darker: a hole between a ring's shanks holds a textured, bounce-lit
// shadow (ring_white_01), so darkening never counts. Only what the key
// cannot see pixel by pixel counts: brightening below u_ceiling (the key's
// backdrop threshold). A brighter region the key still calls backdrop was
// taken out as a veil by the skirt removal (ring_white_01's hole, 2-6 %
// above the estimate), and that decision stands.
// Output: r = enclosed piece (0/1).
uniform sampler2D u_pack;    // enclosed_pack at the coarse level
uniform sampler2D u_reached; // enclosed_grow from the border
uniform sampler2D u_open;    // 1x1 mean of enclosed_open
uniform vec2 u_pack_size;
uniform float u_contrast;
uniform float u_texture;
uniform float u_ceiling;
varying vec2 v_uv;

bool enclosedAt(vec2 uv, out vec4 s) {
  s = texture2D(u_pack, uv);
  return s.a < 0.001 && texture2D(u_reached, uv).r < 0.5;
}

void main() {
  vec4 s;
  vec4 open = texture2D(u_open, vec2(0.5));
  float piece = 0.0;
  vec2 t = 1.0 / u_pack_size;
  // Next to a reached texel it is the open backdrop's edge, not enclosed.
  bool open4 = texture2D(u_reached, v_uv + vec2(t.x, 0.0)).r > 0.5 || texture2D(u_reached, v_uv - vec2(t.x, 0.0)).r > 0.5
               || texture2D(u_reached, v_uv + vec2(0.0, t.y)).r > 0.5 || texture2D(u_reached, v_uv - vec2(0.0, t.y)).r > 0.5;
  if (enclosedAt(v_uv, s) && !open4 && open.a > 1e-6) {
    vec3 sum = vec3(0.0);
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++)
        if (enclosedAt(v_uv + vec2(float(dx), float(dy)) * t, s)) sum += vec3(s.gb, 1.0);
    float brightening = sum.r / sum.b;
    float grain = sum.g / sum.b;
    piece = brightening > u_contrast * open.r / open.a && brightening < u_ceiling && grain > u_texture * open.g / open.a ? 1.0 : 0.0;
  }
  gl_FragColor = vec4(piece, 0.0, 0.0, 1.0);
}
