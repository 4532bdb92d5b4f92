// Activity: the stronger of the bright and dark residuals at each texel and
// its square, for the thin-feature (square) residual (r, g) and the
// short-feature (line) residual (b, a). Their block means give each block's
// mean and spread; the tail level (imperfections/activity) tells how much
// small-scale contrast noise and texture produce here: the yardstick a
// defect must stand out from.
uniform sampler2D u_residual;
uniform sampler2D u_shortResidual;
varying vec2 v_uv;

void main() {
  vec4 r = texture2D(u_residual, v_uv);
  vec4 s = texture2D(u_shortResidual, v_uv);
  float v = max(r.r, r.g);
  float w = max(s.r, s.g);
  gl_FragColor = vec4(v, v * v, w, w * w);
}
