// One separable step of grey-level morphology along a line of texels
// (u_step = (1, 0) or (0, 1); taps k = -MORPH_RADIUS..MORPH_RADIUS, the
// draw's define: a constant loop bound unrolls, see DrawOptions.defines; the
// default is for a standalone compile). Channels r and b are
// "opening" channels (erode, then dilate: removes small bright features), g
// and a are "closing" channels (dilate, then erode: removes small dark ones);
// u_dilate selects the stage.
//
// Residual mode returns how far the opening/closing moved the reference luma:
// (Y - open, close - Y, Y - open, close - Y), the contrast of bright and dark
// features thinner than the square.
#include "chunks/texel"
#ifndef MORPH_RADIUS
#define MORPH_RADIUS 1
#endif
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_reference;
uniform vec2 u_step;
uniform float u_dilate;
uniform float u_residual;

void main() {
  vec2 p = currentTexel();
  vec4 c = texelAt(u_image, u_image_size, p);
  vec4 lo = c;
  vec4 hi = c;
  for (int k = 1; k <= MORPH_RADIUS; k++) {
    vec4 s1 = texelAt(u_image, u_image_size, p + float(k) * u_step);
    vec4 s2 = texelAt(u_image, u_image_size, p - float(k) * u_step);
    lo = min(lo, min(s1, s2));
    hi = max(hi, max(s1, s2));
  }
  vec4 v = u_dilate < 0.5 ? vec4(lo.r, hi.g, lo.b, hi.a) : vec4(hi.r, lo.g, hi.b, lo.a);
  if (u_residual > 0.5) {
    float y = texelAt(u_reference, u_image_size, p).r;
    v = vec4(y - v.r, v.g - y, y - v.b, v.a - y);
  }
  gl_FragColor = v;
}
