// Applies the user's manual spots to a defect mask: mode 1 heals a disc (adds
// it to the mask), mode 0 protects one (nothing inside it changes). Protection
// wins over healing. Discs have a one-texel anti-aliased rim.
#include "chunks/texel"
#define MAX_SPOTS 64
uniform sampler2D u_mask;
uniform vec2 u_mask_size;
uniform float u_spotX[MAX_SPOTS];
uniform float u_spotY[MAX_SPOTS];
uniform float u_spotRadius[MAX_SPOTS];
uniform float u_spotMode[MAX_SPOTS];
uniform float u_spotCount;

void main() {
  vec2 centre = currentTexel() + 0.5;
  float m = texelAt(u_mask, u_mask_size, currentTexel()).r;
  float keep = 1.0;
  for (int i = 0; i < MAX_SPOTS; i++) {
    if (float(i) >= u_spotCount) break;
    float inside = clamp(u_spotRadius[i] + 0.5 - distance(centre, vec2(u_spotX[i], u_spotY[i])), 0.0, 1.0);
    if (u_spotMode[i] > 0.5) m = max(m, inside);
    else keep = min(keep, 1.0 - inside);
  }
  m *= keep;
  gl_FragColor = vec4(m, m, m, 1.0);
}
