// Per pixel, what the island search pools to blocks (core/max_down). With
// u_box = 1: a core pixel's (alpha above ISLAND_CORE) own box as
// (-x, -y, x, y), and -EXTENT_NONE off the core, so that the block maxima hold
// the pixel box of each block's core: a part's width is then measured in
// pixels, not in whole blocks (island_grow). With u_box = 0: g = 1 where a
// red hint says "piece" (a part the user marked is never an island;
// island_keep).
#include "chunks/texel"
#include "chunks/hints"
#include "chunks/extent"
uniform sampler2D u_alpha;  // red
uniform vec2 u_alpha_size;
uniform sampler2D u_hints;  // red = piece, green = backdrop
uniform int u_hasHints;
uniform int u_box;

const float ISLAND_CORE = 0.5;

void main() {
  vec2 p = currentTexel();
  if (u_box == 1) {
    gl_FragColor = texelAt(u_alpha, u_alpha_size, p).r >= ISLAND_CORE ? vec4(-p, p) : vec4(-EXTENT_NONE);
    return;
  }
  float pinned = 0.0;
  if (u_hasHints == 1) {
    vec2 h = texelAt(u_hints, u_alpha_size, p).rg;
    pinned = hintIsPiece(h) && !hintIsBackdrop(h) ? 1.0 : 0.0;
  }
  gl_FragColor = vec4(0.0, pinned, 0.0, 1.0);
}
