// One axis of a box minimum (all four channels); see chunks/box.
#include "chunks/box"

uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_direction; // (1,0) or (0,1)
uniform int u_radius;     // texels, at most MAX_BOX_RADIUS
varying vec2 v_uv;

void main() {
  gl_FragColor = boxMin1D(u_image, v_uv, u_image_size, u_direction, u_radius);
}
