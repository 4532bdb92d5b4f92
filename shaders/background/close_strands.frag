// Closes short gaps along a thin strand: a white chain on white is keyed as
// dashes (its dark link edges) with gaps where the metal is as bright as the
// backdrop. A pixel below u_high gets the smaller of the two nearest pixels
// at or above u_high on opposite sides along one of four lines (horizontal,
// vertical, both diagonals) when
// - the two lie at most MAX_GAP + 1 texels apart (a gap of up to MAX_GAP),
// - the matte two texels across the line is below u_across on both sides of
//   the pixel and of both of them (a thin line, not a notch in a body),
// - neither of the two has matte at or above u_flank on both sides along one
//   of the other three lines (it ends a strand along this line rather than
//   lying on one that crosses it: the gap between parallel strands stays open).
uniform sampler2D u_alpha; // red
uniform vec2 u_alpha_size;
uniform float u_high;
uniform float u_across;
uniform float u_flank;
varying vec2 v_uv;

#define MAX_GAP 5

float at(vec2 offset) {
  return texture2D(u_alpha, v_uv + offset / u_alpha_size).r;
}

// Distance (texels) to the first pixel at or above u_high along d, 0 if none within `limit`.
float reach(vec2 d, float limit) {
  for (int k = 1; k <= MAX_GAP; k++) {
    if (float(k) > limit) break;
    if (at(float(k) * d) >= u_high) return float(k);
  }
  return 0.0;
}

bool thin(vec2 p, vec2 n) {
  return max(at(p + 2.0 * n), at(p - 2.0 * n)) < u_across;
}

bool spans(vec2 p, vec2 e) {
  return min(at(p + e), at(p - e)) >= u_flank;
}

bool crossed(vec2 p, vec2 d) {
  bool c = false;
  if (d != vec2(1.0, 0.0)) c = c || spans(p, vec2(1.0, 0.0));
  if (d != vec2(0.0, 1.0)) c = c || spans(p, vec2(0.0, 1.0));
  if (d != vec2(1.0, 1.0)) c = c || spans(p, vec2(1.0, 1.0));
  if (d != vec2(1.0, -1.0)) c = c || spans(p, vec2(1.0, -1.0));
  return c;
}

float close(vec2 d) {
  // The second search only runs where the first found a side, and only as far as the gap allows.
  float k1 = reach(d, float(MAX_GAP));
  if (k1 == 0.0) return 0.0;
  float k2 = reach(-d, float(MAX_GAP + 1) - k1);
  if (k2 == 0.0) return 0.0;
  vec2 n = vec2(-d.y, d.x);
  vec2 p1 = k1 * d;
  vec2 p2 = -k2 * d;
  if (!thin(vec2(0.0), n) || !thin(p1, n) || !thin(p2, n) || crossed(p1, d) || crossed(p2, d)) return 0.0;
  return min(at(p1), at(p2));
}

void main() {
  float a = texture2D(u_alpha, v_uv).r;
  if (a < u_high) {
    a = max(a, max(max(close(vec2(1.0, 0.0)), close(vec2(0.0, 1.0))), max(close(vec2(1.0, 1.0)), close(vec2(1.0, -1.0)))));
  }
  gl_FragColor = vec4(vec3(a), 1.0);
}
