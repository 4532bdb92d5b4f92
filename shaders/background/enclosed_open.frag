// The open backdrop's block statistics, as (rgb * w, w) for a mean over the
// image (reduceToMean): w = reached from the border (enclosed_grow), r = |mean
// difference from the backdrop estimate|, g = mean texture (enclosed_pack).
// What a block of open backdrop shows (noise, residual unevenness of the
// estimate, the backdrop's own grain) is what an enclosed block must exceed.
uniform sampler2D u_pack;    // enclosed_pack at the coarse level
uniform sampler2D u_reached;
varying vec2 v_uv;

void main() {
  vec4 s = texture2D(u_pack, v_uv);
  float w = texture2D(u_reached, v_uv).r > 0.5 ? 1.0 : 0.0;
  gl_FragColor = vec4(w * abs(s.g), w * s.b, 0.0, w);
}
