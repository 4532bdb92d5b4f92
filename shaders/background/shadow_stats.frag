// The open backdrop's own darkening, away from the piece: (s^2, 0, 0, 1) of
// the smoothed darkening where no piece is within the wide window (u_near,
// the matte blurred over it), 0 elsewhere. Summed to one texel
// (core/reduce_sum) it gives the RMS darkening of the backdrop's own
// texture, stains and folds (on paper about the noise, on concrete its
// mottling), which shadow_fill.frag leaves out of the shadow layer.
uniform sampler2D u_packed; // shadow_pack blurred: (s * w, 0, 0, w)
uniform sampler2D u_near;   // the matte blurred over the window (red)
varying vec2 v_uv;

void main() {
  vec4 p = texture2D(u_packed, v_uv);
  float open = p.a > 0.999 && texture2D(u_near, v_uv).r < 0.01 ? 1.0 : 0.0;
  float s = p.r / max(p.a, 1e-5);
  gl_FragColor = open * vec4(s * s, 0.0, 0.0, 1.0);
}
