// estimateNoise's estimate from its cells (chunks/noise_cells): the mean of
// the cells ranked in the middle band that light/noise_quantiles brackets,
// as 1x1 (mean, 0, 0, 1); without any cell, 0.
// Like the median it ignores what covers less than 40 % of the frame (a
// textured piece, a grainy corner). Unlike the median, a local edit that
// changes one cell moves it by a small part of the gap between neighbouring
// cells, not by the whole gap: on bracelet_white_02 a darkened speck moved
// the median one rank, 1 %, across a step of the snap in chunks/noise, and
// the matte changed far away.
#include "chunks/noise_cells"

uniform sampler2D u_quantiles; // 2x1: (lo, hi) brackets of the band's lower and upper end

void main() {
  float from = texture2D(u_quantiles, vec2(0.25, 0.5)).x;
  float to = texture2D(u_quantiles, vec2(0.75, 0.5)).y;
  vec3 band = noiseCellsIn(from, to);
  gl_FragColor = vec4(band.y > 0.0 ? band.z / band.y : 0.0, 0.0, 0.0, 1.0);
}
