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
  // Symmetric covariance of the guide, regularised (positive definite).
  float vrr = m2.x - mI.r * mI.r + u_eps;
  float vrg = m2.y - mI.r * mI.g;
  float vrb = m2.z - mI.r * mI.b;
  float vgg = m2.w - mI.g * mI.g + u_eps;
  float vgb = m3.x - mI.g * mI.b;
  float vbb = m3.y - mI.b * mI.b + u_eps;
  // Solved by Cholesky, not by cofactors: across a sharp edge between two
  // colours the guide's covariance is nearly rank one, and its smaller
  // eigenvalues are eps (1e-5) against ~0.1. The cofactor determinant then
  // cancels to ~1e-11 from terms of ~1e-7 and float32 loses it (slopes of
  // hundreds beside a blown wire on black); Cholesky's error grows only with
  // the condition number.
  float l11 = sqrt(vrr);
  float l21 = vrg / l11;
  float l31 = vrb / l11;
  float l22 = sqrt(max(vgg - l21 * l21, 1e-12));
  float l32 = (vgb - l21 * l31) / l22;
  float l33 = sqrt(max(vbb - l31 * l31 - l32 * l32, 1e-12));
  // L y = Cov(I, p), then L^T a = y.
  float y1 = covIp.r / l11;
  float y2 = (covIp.g - l21 * y1) / l22;
  float y3 = (covIp.b - l31 * y1 - l32 * y2) / l33;
  vec3 a;
  a.b = y3 / l33;
  a.g = (y2 - l32 * a.b) / l22;
  a.r = (y1 - l21 * a.g - l31 * a.b) / l11;
  gl_FragColor = vec4(a, mp - dot(a, mI));
}
