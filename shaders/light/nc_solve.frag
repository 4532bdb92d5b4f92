// First-order normalized convolution: solves, per pixel and channel, the
// weighted least-squares fit c + g . (x - x0) from the blurred moments of
// nc_moments, at a fine and a coarse scale. Where the fine scale has too
// little weight (inside a large piece) the coarse fit takes over.
// Output: the fitted backdrop colour c (opaque). It may run on a pyramid
// level of the source: positions are in source texels, in units of the fine
// sigma for both fits (the moments were computed once, in those units).
// The slope ridge is absolute, not relative to the weight s0: where the
// blurred weight is tiny (almost no backdrop within the window) the normal
// equations are then still well conditioned and the fit tends to the
// weighted mean (zeroth order), which is positive. A ridge proportional to
// s0 leaves the determinant ~ s0^3, so float32 rounding of the moments
// decided the fit there (it differed by pixel-level noise between GPUs and
// could extrapolate to a negative illumination, which the flat-field gain
// turns into a huge value).
// Where no weight reaches the window at all (s0 = 0: far from any backdrop)
// the fit would be 0 / 0. A prior observation of weight u_priorWeight at the
// pixel itself, valued at the global weighted mean colour, makes the fit
// tend to that mean there; where s0 >> u_priorWeight it changes nothing.
uniform sampler2D u_fine0;
uniform sampler2D u_fine1;
uniform sampler2D u_fine2;
uniform sampler2D u_fine3;
uniform sampler2D u_coarse0;
uniform sampler2D u_coarse1;
uniform sampler2D u_coarse2;
uniform sampler2D u_coarse3;
uniform vec2 u_sourceSize;   // size of the image the moments were computed on, texels
uniform float u_sigma;       // fine sigma, source texels: the unit of positions
uniform float u_ridgeFine;   // damping of the slope, absolute (in units of the blurred weight)
uniform float u_ridgeCoarse; // the same ridge for the coarse fit, rescaled to positions in fine sigmas
uniform sampler2D u_priorWeightSum; // 1x1 mean of nc_moments part 0: x = mean weight
uniform sampler2D u_priorColorSum;  // 1x1 mean of nc_moments part 2: rgb = mean of weight * colour
uniform float u_priorWeight; // weight of the prior, in units of the blurred weight
varying vec2 v_uv;

// Linear fit at the centre pixel from moments t0..t3 (coordinates p in units of sigma).
vec3 fitConstant(vec4 t0, vec4 t1, vec4 t2, vec4 t3, vec2 p, vec3 prior, float ridge) {
  float s0 = t0.x;
  float sx = t0.y - p.x * s0;
  float sy = t0.z - p.y * s0;
  float sxx = t0.w - 2.0 * p.x * t0.y + p.x * p.x * s0 + ridge;
  float sxy = t1.x - p.x * t0.z - p.y * t0.y + p.x * p.y * s0;
  float syy = t1.y - 2.0 * p.y * t0.z + p.y * p.y * s0 + ridge;
  vec3 six = vec3(t1.z, t2.w, t3.y) - p.x * t2.rgb;
  vec3 siy = vec3(t1.w, t3.x, t3.z) - p.y * t2.rgb;
  // The prior observation sits at the pixel itself: it adds to s0 and si only.
  vec3 si = t2.rgb + u_priorWeight * prior;
  // First row of the inverse of [[s0 + prior weight, sx, sy] [sx sxx sxy] [sy sxy syy]] by cofactors.
  float c00 = sxx * syy - sxy * sxy;
  float c01 = sxy * sy - sx * syy;
  float c02 = sx * sxy - sxx * sy;
  float det = (s0 + u_priorWeight) * c00 + sx * c01 + sy * c02;
  return (c00 * si + c01 * six + c02 * siy) / max(det, 1e-20);
}

void main() {
  vec2 p = (v_uv - 0.5) * u_sourceSize / u_sigma;
  vec4 f0 = texture2D(u_fine0, v_uv);
  vec3 prior = texture2D(u_priorColorSum, vec2(0.5)).rgb / max(texture2D(u_priorWeightSum, vec2(0.5)).x, 1e-6);
  vec3 fine = fitConstant(f0, texture2D(u_fine1, v_uv), texture2D(u_fine2, v_uv), texture2D(u_fine3, v_uv), p, prior, u_ridgeFine);
  vec3 coarse = fitConstant(texture2D(u_coarse0, v_uv), texture2D(u_coarse1, v_uv), texture2D(u_coarse2, v_uv),
                            texture2D(u_coarse3, v_uv), p, prior, u_ridgeCoarse);
  float trustFine = smoothstep(0.02, 0.1, f0.x);
  gl_FragColor = vec4(mix(coarse, fine, trustFine), 1.0);
}
