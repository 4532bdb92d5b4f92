// One axis of the key's edge-band statistics for the trimap, in one pass
// instead of a box mean and a box maximum: r = maximum of r (the key's
// contrast: the highest contrast nearby), g and b = box means of g and b (the
// share of certain piece / certain backdrop in the band). The layout is kept,
// so the second axis runs on the first one's output. u_stage as in box_mean.
#include "chunks/box"

uniform sampler2D u_image;
uniform sampler2D u_blocks;
uniform vec2 u_image_size;
uniform vec2 u_direction; // (1,0) or (0,1)
uniform int u_radius;     // texels, at most MAX_BOX_RADIUS
uniform int u_block;
uniform int u_stage;

const vec4 PEAK = vec4(1.0, 0.0, 0.0, 0.0);

void main() {
  vec4 s = u_stage == 1
    ? boxBlock1D(u_image, u_image_size, u_direction, u_block, PEAK)
    : boxCombine1D(u_image, u_blocks, u_image_size, u_direction, u_radius, u_block, PEAK);
  gl_FragColor = vec4(s.rgb, 1.0);
}
