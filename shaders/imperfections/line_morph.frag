// One stage of grey-level morphology with line segments, two orientations at
// a time: channels r (opening) and g (closing) use the segment of u_lineA,
// b and a that of u_lineB. The taps are the texel itself and +-(u_lineAx[k],
// u_lineAy[k]) for k < LINE_TAPS: whole-texel offsets of a symmetric segment
// (lineOffsets in plan.ts), so every fetch is exact and the float64
// reference mirrors it. LINE_TAPS is the draw's define (a constant loop
// bound unrolls; see DrawOptions.defines); the default, the most taps, is
// for a standalone compile (unused offsets are 0: the texel again).
//
// Stage 1 (u_dilate = 0) erodes the opening channels and dilates the closing
// ones. Stage 2 (u_dilate = 1) does the reverse, which completes the two
// openings and closings, and returns the residual against the luma
// u_reference, combined with u_previous (the square residual, then the
// previous orientations'): (Y - max open, min close - Y, same, same), the
// contrast of thin features shorter than the segment at every orientation.
#include "chunks/texel"
#ifndef LINE_TAPS
#define LINE_TAPS 48
#endif
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_reference;
uniform sampler2D u_previous;
uniform float u_lineAx[LINE_TAPS];
uniform float u_lineAy[LINE_TAPS];
uniform float u_lineBx[LINE_TAPS];
uniform float u_lineBy[LINE_TAPS];
uniform float u_dilate;

void main() {
  vec2 p = currentTexel();
  vec4 c = texelAt(u_image, u_image_size, p);
  vec4 lo = c;
  vec4 hi = c;
  for (int k = 0; k < LINE_TAPS; k++) {
    vec2 a = vec2(u_lineAx[k], u_lineAy[k]);
    vec2 b = vec2(u_lineBx[k], u_lineBy[k]);
    vec4 a1 = texelAt(u_image, u_image_size, p + a);
    vec4 a2 = texelAt(u_image, u_image_size, p - a);
    vec4 b1 = texelAt(u_image, u_image_size, p + b);
    vec4 b2 = texelAt(u_image, u_image_size, p - b);
    lo = min(lo, vec4(min(a1.rg, a2.rg), min(b1.ba, b2.ba)));
    hi = max(hi, vec4(max(a1.rg, a2.rg), max(b1.ba, b2.ba)));
  }
  if (u_dilate < 0.5) {
    gl_FragColor = vec4(lo.r, hi.g, lo.b, hi.a);
    return;
  }
  float y = texelAt(u_reference, u_image_size, p).r;
  vec2 residual = vec2(y - max(hi.r, hi.b), min(lo.g, lo.a) - y);
  gl_FragColor = min(residual, texelAt(u_previous, u_image_size, p).rg).xyxy;
}
