// Box statistics along one axis over the part of the window inside the image
// (taps outside are skipped, not clamped), so two axes (x then y) give exactly
// the 2D window's in-image part: the guided filter's N = box(1) normalisation
// (He, Sun & Tang 2010). Channels where `maxMask` is 1 take the maximum, the
// others the mean.
//
// A window of 2r+1 single taps costs r-proportional work per pixel, and a
// preset's windows scale with the photo (refineRadius 4 at referenceSize 512
// is 47 texels on a 6000 px photo), so large windows run in two draws:
// boxBlock1D sums (or maximises) `block` texels starting at each texel, and
// boxCombine1D covers the window's in-image part [lo, hi] with whole blocks
// read from that output plus single taps for the rest: about
// (2r+1) / block + 2 block taps in all. The sums are sums of the same texels
// (no prefix-sum differences), so the mean is the single-tap one up to float
// summation order. block = 1 with the image itself as the blocks is the
// single-tap box.
#include "chunks/texel"

#define MAX_BOX_RADIUS 128

// An exact select for m in {0, 1}: mix() would round a + (b - a).
vec4 boxPick(vec4 a, vec4 b, vec4 m) {
  return a * (1.0 - m) + b * m;
}

vec4 boxAccumulate(vec4 acc, vec4 v, vec4 maxMask) {
  return boxPick(acc + v, max(acc, v), maxMask);
}

// The texel `index` texels along `direction` in this fragment's row or column.
vec4 boxTap(sampler2D img, vec2 size, vec2 direction, float index) {
  return texelAt(img, size, mix(currentTexel(), vec2(index), direction));
}

// Stage 1: the sum (maximum where maxMask is 1) of the `block` texels from
// this one along `direction` that lie inside the image.
vec4 boxBlock1D(sampler2D img, vec2 size, vec2 direction, int block, vec4 maxMask) {
  float start = dot(currentTexel(), direction);
  float extent = dot(size, direction);
  vec4 acc = boxTap(img, size, direction, start);
  for (int k = 1; k <= 2 * MAX_BOX_RADIUS; k++) {
    if (k >= block || start + float(k) >= extent) break;
    acc = boxAccumulate(acc, boxTap(img, size, direction, start + float(k)), maxMask);
  }
  return acc;
}

// Stage 2: the mean (maximum where maxMask is 1) over the in-image part of
// the window of radius `radius` around this texel, from `blocks` (stage 1's
// output for the same `block`) and single taps of `img`. Needs
// block <= radius + 1 and block <= the image's extent along `direction`, so
// that the in-image part holds at least one whole block.
vec4 boxCombine1D(sampler2D img, sampler2D blocks, vec2 size, vec2 direction, int radius, int block, vec4 maxMask) {
  float centre = dot(currentTexel(), direction);
  float extent = dot(size, direction);
  float lo = max(centre - float(radius), 0.0);
  float hi = min(centre + float(radius), extent - 1.0);
  float b = float(block);
  float whole = floor((hi - lo + 1.0) / b);
  vec4 acc = boxTap(blocks, size, direction, lo);
  for (int j = 1; j <= 2 * MAX_BOX_RADIUS; j++) {
    if (float(j) >= whole) break;
    acc = boxAccumulate(acc, boxTap(blocks, size, direction, lo + float(j) * b), maxMask);
  }
  for (int k = 0; k < 2 * MAX_BOX_RADIUS; k++) {
    float i = lo + whole * b + float(k);
    if (i > hi) break;
    acc = boxAccumulate(acc, boxTap(img, size, direction, i), maxMask);
  }
  return boxPick(acc / (hi - lo + 1.0), acc, maxMask);
}
