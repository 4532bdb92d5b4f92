// Relative high-pass magnitude |L - blur(L)| / blur(L): near zero on smooth
// light falloff and soft shadows (their second derivative is small), large on
// the edges, facets and engraving of a piece. Blurred over a wide window it
// tells shadows (smooth everywhere around) from smooth metal between edges.
#include "chunks/color"

uniform sampler2D u_image;
uniform sampler2D u_stats; // blurred (L, L^2)
varying vec2 v_uv;

void main() {
  float l = luminance(texture2D(u_image, v_uv).rgb);
  float mean = texture2D(u_stats, v_uv).r;
  float e = abs(l - mean) / relativeBase(mean);
  gl_FragColor = vec4(e, e, e, 1.0);
}
