// Guided filter coefficients from the box means of guided_moments: per
// window, the least-squares fit p ~ a . I + b with ridge eps on a:
//   a = (Cov(I) + eps U)^-1 Cov(I, p),  b = mean(p) - a . mean(I).
// Output: a in rgb, b in alpha.
uniform sampler2D u_mean0; // mean I, mean p
uniform sampler2D u_mean1; // mean I*p
uniform sampler2D u_mean2; // mean rr, rg, rb, gg
uniform sampler2D u_mean3; // mean gb, bb
uniform float u_eps;
varying vec2 v_uv;

void main() {
  vec4 m0 = texture2D(u_mean0, v_uv);
  vec3 m1 = texture2D(u_mean1, v_uv).rgb;
  vec4 m2 = texture2D(u_mean2, v_uv);
  vec2 m3 = texture2D(u_mean3, v_uv).rg;
  vec3 mI = m0.rgb;
  float mp = m0.a;
  vec3 covIp = m1 - mI * mp;
  // Symmetric covariance of the guide, regularised.
  float vrr = m2.x - mI.r * mI.r + u_eps;
  float vrg = m2.y - mI.r * mI.g;
  float vrb = m2.z - mI.r * mI.b;
  float vgg = m2.w - mI.g * mI.g + u_eps;
  float vgb = m3.x - mI.g * mI.b;
  float vbb = m3.y - mI.b * mI.b + u_eps;
  // Inverse by cofactors (the matrix is symmetric positive definite).
  float irr = vgg * vbb - vgb * vgb;
  float irg = vgb * vrb - vrg * vbb;
  float irb = vrg * vgb - vgg * vrb;
  float igg = vrr * vbb - vrb * vrb;
  float igb = vrb * vrg - vrr * vgb;
  float ibb = vrr * vgg - vrg * vrg;
  float det = irr * vrr + irg * vrg + irb * vrb;
  vec3 a = vec3(
    irr * covIp.r + irg * covIp.g + irb * covIp.b,
    irg * covIp.r + igg * covIp.g + igb * covIp.b,
    irb * covIp.r + igb * covIp.g + ibb * covIp.b) / det;
  gl_FragColor = vec4(a, mp - dot(a, mI));
}
