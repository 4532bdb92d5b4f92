// One axis of the key's edge-band statistics for the trimap, in one draw
// instead of a box mean and a box maximum: r = maximum of r (the key's
// contrast: the highest contrast nearby), g and b = box means of g and b (the
// share of certain piece / certain backdrop in the band). The layout is kept,
// so the second axis runs on the first one's output.
#include "chunks/box"

uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_direction; // (1,0) or (0,1)
uniform int u_radius;     // texels, at most MAX_BOX_RADIUS
varying vec2 v_uv;

void main() {
  float peak = boxMax1D(u_image, v_uv, u_image_size, u_direction, u_radius).r;
  vec2 shares = boxMean1D(u_image, v_uv, u_image_size, u_direction, u_radius).gb;
  gl_FragColor = vec4(peak, shares, 1.0);
}
