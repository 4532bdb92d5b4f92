// Activity: the stronger of the bright and dark thin-feature residuals at each
// texel (r) and its square (g). Their block means give each block's mean and
// spread; the tail level (imperfections/activity) tells how much small-scale
// contrast noise and texture produce here: the yardstick a defect must stand
// out from.
uniform sampler2D u_residual;
varying vec2 v_uv;

void main() {
  vec4 r = texture2D(u_residual, v_uv);
  float v = max(r.r, r.g);
  gl_FragColor = vec4(v, v * v, 0.0, 0.0);
}
