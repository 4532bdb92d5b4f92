// Per pixel, what the island search pools to blocks (core/max_down): r = 1 on
// the matte's core (alpha above ISLAND_CORE), g = 1 where a red hint says
// "piece" (a part the user marked is never an island).
#include "chunks/texel"
#include "chunks/hints"
uniform sampler2D u_alpha;  // red
uniform vec2 u_alpha_size;
uniform sampler2D u_hints;  // red = piece, green = backdrop
uniform int u_hasHints;

const float ISLAND_CORE = 0.5;

void main() {
  vec2 p = currentTexel();
  float core = step(ISLAND_CORE, texelAt(u_alpha, u_alpha_size, p).r);
  float pinned = 0.0;
  if (u_hasHints == 1) {
    vec2 h = texelAt(u_hints, u_alpha_size, p).rg;
    pinned = hintIsPiece(h) && !hintIsBackdrop(h) ? 1.0 : 0.0;
  }
  gl_FragColor = vec4(core, pinned, 0.0, 1.0);
}
