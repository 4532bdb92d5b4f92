// The colour the backdrop mask's mode 1 compares against: the mean colour of
// the whole frame's smooth pixels, unless almost none of the frame passes
// the test against it. A large smooth piece unlike the backdrop (a polished
// gold disc filling a quarter of the frame on blue) pulls that mean between
// the two colours, nothing passes, and the backdrop estimate came out black;
// then the mean of the frame's border is taken instead.
uniform sampler2D u_global;   // 1x1 (rgb * w, w): smooth pixels of the whole frame
uniform sampler2D u_border;   // 1x1 (rgb * w, w): smooth pixels of the border band
uniform sampler2D u_passed;   // 1x1 (rgb * m, m): mode 1 against u_global; m = share of the frame that passed
uniform float u_minShare;
varying vec2 v_uv;

void main() {
  bool enough = texture2D(u_passed, vec2(0.5)).a >= u_minShare;
  gl_FragColor = enough ? texture2D(u_global, vec2(0.5)) : texture2D(u_border, vec2(0.5));
}
