// Takes the islands out of the matte at full resolution: a pixel whose block
// belongs to a removed island (core, not kept) goes to 0, and so does faint
// matte (a block without core) that is the soft rim of such an island (next
// to a removed block and to no kept core block) or that lies farther than the
// gap from every kept core block (a faint speck), unless the matte has no
// core at all (a faint piece is still the piece).
#include "chunks/texel"
#include "chunks/extent"
uniform sampler2D u_alpha;
uniform vec2 u_alpha_size;
uniform sampler2D u_boxes;  // island_grow, on blocks
uniform sampler2D u_keep;   // island_keep, on blocks
uniform sampler2D u_nearKept;  // island_near over u_keep: a kept core block within the gap
uniform sampler2D u_widest;    // 1x1: width of the widest part (0: no core)
uniform vec2 u_boxes_size;
uniform float u_block;      // pixels per block side

// -1 no core, 0 removed island, 1 kept core.
float blockState(vec2 block) {
  if (texelAt(u_boxes, u_boxes_size, block).r >= EXTENT_NONE) return -1.0;
  return step(0.5, texelAt(u_keep, u_boxes_size, block).r);
}

void main() {
  vec4 a = texelAt(u_alpha, u_alpha_size, currentTexel());
  vec2 block = floor(currentTexel() / u_block);
  float own = blockState(block);
  bool removed = own == 0.0;
  if (own < 0.0) {
    bool nextToRemoved = false;
    bool nextToKept = false;
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) {
        vec2 b = block + vec2(float(dx), float(dy));
        if (b.x < 0.0 || b.y < 0.0 || b.x >= u_boxes_size.x || b.y >= u_boxes_size.y) continue;
        float s = blockState(b);
        nextToRemoved = nextToRemoved || s == 0.0;
        nextToKept = nextToKept || s == 1.0;
      }
    bool farFromKept = texture2D(u_widest, vec2(0.5)).r > 0.5 && texelAt(u_nearKept, u_boxes_size, block).r < 0.5;
    removed = nextToRemoved && !nextToKept || farFromKept;
  }
  gl_FragColor = removed ? vec4(0.0, 0.0, 0.0, a.a) : a;
}
