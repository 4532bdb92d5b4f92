// Takes the estimated contact shadow out of the image (divides each channel
// by 1 - s, s per channel: a shadow beside gold is warm), so
// the key and the guided filter see bare backdrop where the shadow was. The
// solid piece (piece throughout its edge band) keeps its own light, and no
// pixel is lifted above the backdrop's brightness (the spread shadow estimate
// reaches past the shadow's edge).
#include "chunks/color"
uniform sampler2D u_image;
uniform sampler2D u_shadow; // blurred shadow_seed output
uniform sampler2D u_band;   // box mean of the key: g = 1 on solid piece
uniform sampler2D u_backdrop;
uniform float u_shadowMax;
uniform int u_coreOnly;     // 1: the second pass, for the skirt's deep core (below)
varying vec2 v_uv;

// Shallowest shadow the second pass lifts.
const float CORE_MIN = 0.1;

void main() {
  vec4 c = texture2D(u_image, v_uv);
  vec4 p = texture2D(u_shadow, v_uv);
  vec3 s = p.a > 1e-5 ? min(p.rgb / p.a, vec3(u_shadowMax)) : vec3(0.0);
  if (texture2D(u_band, v_uv).g > 0.999) s = vec3(0.0);
  float relative = luminance(c.rgb) / max(luminance(texture2D(u_backdrop, v_uv).rgb), 1e-4);
  // The second pass lifts the deep core that the skirt removal took out of
  // the key, so the guided filter and the decontamination see backdrop next
  // to the piece there. It leaves faint darkening alone (a generated shot's
  // noise and flattened light: the key's edges are already right there), and
  // a pixel brighter than the shadowed backdrop is mostly piece (a silver
  // wire over the shadow): it keeps its light instead of being blown out.
  if (u_coreOnly == 1) {
    float depth = luminance(s);
    s *= smoothstep(0.5 * CORE_MIN, CORE_MIN, depth) * (1.0 - smoothstep(1.0 - depth, 1.0 - depth + max(min(depth, 1.0 - depth), 1e-3), relative));
  }
  gl_FragColor = vec4(c.rgb / max(1.0 - s, vec3(min(relative, 1.0))), c.a);
}
