// How much of the frame's edge the matte covers: (alpha, 0, 0, 1) on the
// texels within u_edgeWidth of the border, 0 elsewhere; summed to one texel
// (core/reduce_sum) it gives the covered share, r / a (keep_frame.frag).
uniform sampler2D u_alpha;
uniform vec2 u_alpha_size;
uniform float u_edgeWidth; // texels
varying vec2 v_uv;

void main() {
  vec2 p = gl_FragCoord.xy; // texel centres: 0.5 .. size - 0.5
  bool edge = min(min(p.x, p.y), min(u_alpha_size.x - p.x, u_alpha_size.y - p.y)) < u_edgeWidth;
  gl_FragColor = edge ? vec4(texture2D(u_alpha, v_uv).r, 0.0, 0.0, 1.0) : vec4(0.0);
}
