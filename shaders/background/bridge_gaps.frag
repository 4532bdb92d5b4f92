// Fills one-pixel gaps in a matte: a pixel between two partly covered
// neighbours on opposite sides (horizontal or vertical) is the
// inside of a thin strand, e.g. the centre line of a white chain that is as
// bright as the backdrop and so invisible to the difference key. The strand's
// two edges carry its coverage between them, so the gap gets their sum.
// Both sides must be clearly covered (u_minSide) so noise specks never join.
// Diagonal pairs are left out: beside a 45-degree strand they lie along it.
// A pixel that shows a coloured backdrop's hue (trimap.frag's alpha: the
// ceiling from that test alone) keeps that ceiling unless both sides are at
// least half covered (u_insideSide): next to a partly covered neighbour it
// is a rim or facet the backdrop shows through (the sum would make it solid,
// backdrop colour and all); between two covered pixels it lies inside the
// body, where a stone that refracts the backdrop shows its hue too.
// Soft (defocused) edges are left as the guided filter resolved them: their
// ramp is wider than a pixel, and bridging would raise it to solid.
uniform sampler2D u_alpha;   // red
uniform sampler2D u_soft;    // r = 1: soft edges (soft_edge_region.frag)
uniform int u_hasSoft;
uniform sampler2D u_trimap;  // trimap.frag output: alpha = ceiling where the pixel shows the backdrop's hue, else 1
uniform vec2 u_alpha_size;
uniform float u_minSide;
uniform float u_insideSide;
varying vec2 v_uv;

float side(vec2 offset) {
  return texture2D(u_alpha, v_uv + offset / u_alpha_size).r;
}

float bridge(vec2 d, float ceiling) {
  float a = side(d);
  float b = side(-d);
  if (min(a, b) < u_minSide) return 0.0;
  return min(min(a, b) >= u_insideSide ? 1.0 : ceiling, a + b);
}

void main() {
  float a = texture2D(u_alpha, v_uv).r;
  if (u_hasSoft == 1 && texture2D(u_soft, v_uv).r > 0.5) {
    gl_FragColor = vec4(vec3(a), 1.0);
    return;
  }
  float ceiling = texture2D(u_trimap, v_uv).a;
  float filled = max(bridge(vec2(1.0, 0.0), ceiling), bridge(vec2(0.0, 1.0), ceiling));
  a = max(a, filled);
  gl_FragColor = vec4(vec3(a), 1.0);
}
