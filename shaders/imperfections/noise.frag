// Activity: the stronger of the bright and dark thin-feature residuals at each
// texel. Its block means (a low rank of the neighbouring blocks) tell
// how much small-scale contrast noise and texture produce here: the yardstick
// a defect must stand out from.
uniform sampler2D u_residual;
varying vec2 v_uv;

void main() {
  vec4 r = texture2D(u_residual, v_uv);
  gl_FragColor = vec4(max(r.r, r.g));
}
