// One axis of a box mean (all four channels), one stage of chunks/box: 1 the
// block sums, 2 the mean from them (u_blocks = u_image with u_block = 1: the
// single-tap box).
#include "chunks/box"

uniform sampler2D u_image;
uniform sampler2D u_blocks;
uniform vec2 u_image_size;
uniform vec2 u_direction; // (1,0) or (0,1)
uniform int u_radius;     // texels, at most MAX_BOX_RADIUS
uniform int u_block;
uniform int u_stage;

void main() {
  gl_FragColor = u_stage == 1
    ? boxBlock1D(u_image, u_image_size, u_direction, u_block, vec4(0.0))
    : boxCombine1D(u_image, u_blocks, u_image_size, u_direction, u_radius, u_block, vec4(0.0));
}
