// The clean backdrop of a generated shot, evenly lit, in image space.
// u_kind 0: white seamless paper; 1: coloured paper; 2: textured linen;
// 3: cluttered: a wooden table with out-of-focus props behind the piece.
// Lengths are in units of the image height so every resolution shows the
// same backdrop.
#include "generator/hash"

uniform vec2 u_resolution;
uniform int u_kind;
uniform vec3 u_color;         // paper colour (coloured, textured)
uniform float u_seedOffset;
uniform float u_pixelScale;   // output height / 768
varying vec2 v_uv;

const vec3 WHITE_PAPER = vec3(0.9);

vec3 linen(vec2 q, vec2 pix) {
  // Weave period of about 3 px at 768 lines, slubs and a soft mottle.
  float period = 3.0 * max(u_pixelScale, 0.7);
  vec2 w = sin(pix * (2.0 * 3.14159265 / period));
  float weave = 0.96 + 0.04 * w.x * w.y;
  // Slubs: thicker threads in both warp and weft.
  float slubs = 0.9 + 0.1 * valueNoise(vec2(q.x * 300.0, q.y * 6.0) + u_seedOffset) + 0.1 * valueNoise(vec2(q.x * 6.0, q.y * 300.0) - u_seedOffset);
  float mottle = 0.9 + 0.2 * fbm(q * 6.0 + u_seedOffset);
  return u_color * weave * slubs * mottle;
}

vec3 wood(vec2 q) {
  float grain = fbm(vec2(q.x * 1.5, q.y * 18.0) + u_seedOffset);
  float rings = 0.5 + 0.5 * sin((q.y + 0.08 * fbm(q * 3.0 + 7.0)) * 90.0 + grain * 6.0);
  vec3 light = vec3(0.42, 0.25, 0.13);
  vec3 dark = vec3(0.22, 0.12, 0.06);
  return mix(dark, light, 0.55 * rings + 0.45 * grain);
}

// Out-of-focus props: soft discs and boxes in muted colours.
vec3 props(vec2 q, vec3 base) {
  vec3 c = base;
  for (int i = 0; i < 7; i++) {
    vec3 h = hash32(vec2(float(i) * 7.13, u_seedOffset));
    vec3 h2 = hash32(vec2(float(i) * 3.71 + 40.0, u_seedOffset));
    // Props sit near the borders, so the piece keeps most of the frame.
    vec2 centre = vec2(h.x * 1.6 - 0.1, h.y < 0.5 ? h.y * 0.5 - 0.1 : 0.8 + h.y * 0.4);
    float size = 0.1 + 0.25 * h.z;
    vec3 colour = 0.12 + 0.6 * (0.5 + 0.5 * cos(2.0 * 3.14159265 * (h2.x + vec3(0.0, 0.33, 0.67))));
    colour = mix(vec3(dot(colour, vec3(0.333))), colour, 0.6);
    float d;
    if (h2.y < 0.5) {
      d = length(q - centre) - size;
    } else {
      vec2 e = abs(q - centre) - vec2(size, size * (0.4 + h2.z));
      d = length(max(e, 0.0)) + min(max(e.x, e.y), 0.0);
    }
    float blurWidth = 0.02 + 0.03 * h2.z;
    c = mix(c, colour, smoothstep(blurWidth, -blurWidth, d) * 0.9);
  }
  return c;
}

void main() {
  vec2 pix = gl_FragCoord.xy;
  vec2 q = pix / u_resolution.y;
  vec3 c = WHITE_PAPER;
  if (u_kind == 1) c = u_color;
  else if (u_kind == 2) c = linen(q, pix);
  else if (u_kind == 3) c = props(q, wood(q));
  gl_FragColor = vec4(c, 1.0);
}
