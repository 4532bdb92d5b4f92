// The colour the backdrop mask's mode 1 compares against: the mean colour of
// the whole frame's smooth pixels, unless far more of the frame passes the
// test against the mean of the frame's border. A large smooth piece unlike
// the backdrop (a polished gold disc filling a quarter of the frame on blue
// or grey) pulls the whole frame's mean between the two colours, next to
// nothing passes against it, and the backdrop estimate came out black or
// from a few stray pixels. Where the two means agree (most shots, or a frame
// of noise) the whole frame's is kept.
uniform sampler2D u_global;        // 1x1 (rgb * w, w): smooth pixels of the whole frame
uniform sampler2D u_border;        // 1x1 (rgb * w, w): smooth pixels of the border band
uniform sampler2D u_passed;        // 1x1 (rgb * m, m): mode 1 against u_global; m = share of the frame that passed
uniform sampler2D u_passedBorder;  // the same against u_border
uniform float u_minRatio;
varying vec2 v_uv;

void main() {
  float global = texture2D(u_passed, vec2(0.5)).a;
  float border = texture2D(u_passedBorder, vec2(0.5)).a;
  gl_FragColor = border > u_minRatio * global ? texture2D(u_border, vec2(0.5)) : texture2D(u_global, vec2(0.5));
}
