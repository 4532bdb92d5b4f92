// Box mean along one axis with in-bounds normalisation: taps that fall outside
// the image are skipped rather than clamped, so two passes (x then y) average
// exactly the part of the 2D window inside the image. This is the guided
// filter's N = box(1) normalisation (He, Sun & Tang 2010).
// The loops run 2r+1 taps and break: a loop over the whole MAX_BOX_RADIUS
// range that skips taps with continue still pays for all of them on
// llvmpipe (about 7x the cost at r = 4).
#define MAX_BOX_RADIUS 128

vec4 boxMean1D(sampler2D img, vec2 uv, vec2 sizeTexels, vec2 direction, int radius) {
  vec2 centre = uv * sizeTexels; // pixel centres sit at x + 0.5
  vec4 sum = vec4(0.0);
  float count = 0.0;
  for (int k = 0; k <= 2 * MAX_BOX_RADIUS; k++) {
    if (k > 2 * radius) break;
    int i = k - radius;
    vec2 p = centre + direction * float(i);
    if (p.x < 0.0 || p.y < 0.0 || p.x > sizeTexels.x || p.y > sizeTexels.y) continue;
    sum += texture2D(img, p / sizeTexels);
    count += 1.0;
  }
  return sum / count;
}

// Maximum along one axis over the same window (taps outside the image skipped).
vec4 boxMax1D(sampler2D img, vec2 uv, vec2 sizeTexels, vec2 direction, int radius) {
  vec2 centre = uv * sizeTexels;
  vec4 result = texture2D(img, uv);
  for (int k = 0; k <= 2 * MAX_BOX_RADIUS; k++) {
    if (k > 2 * radius) break;
    int i = k - radius;
    vec2 p = centre + direction * float(i);
    if (p.x < 0.0 || p.y < 0.0 || p.x > sizeTexels.x || p.y > sizeTexels.y) continue;
    result = max(result, texture2D(img, p / sizeTexels));
  }
  return result;
}

