// Fills one-pixel gaps in a matte: a pixel between two partly covered
// neighbours on opposite sides (horizontal or vertical) is the
// inside of a thin strand, e.g. the centre line of a white chain that is as
// bright as the backdrop and so invisible to the difference key. The strand's
// two edges carry its coverage between them, so the gap gets their sum.
// Both sides must be clearly covered (u_minSide) so noise specks never join.
// Diagonal pairs are left out: beside a 45-degree strand they lie along it.
uniform sampler2D u_alpha; // red
uniform vec2 u_alpha_size;
uniform float u_minSide;
varying vec2 v_uv;

float side(vec2 offset) {
  return texture2D(u_alpha, v_uv + offset / u_alpha_size).r;
}

float bridge(vec2 d) {
  float a = side(d);
  float b = side(-d);
  return min(a, b) >= u_minSide ? min(1.0, a + b) : 0.0;
}

void main() {
  float a = texture2D(u_alpha, v_uv).r;
  float filled = max(bridge(vec2(1.0, 0.0)), bridge(vec2(0.0, 1.0)));
  a = max(a, filled);
  gl_FragColor = vec4(vec3(a), 1.0);
}
