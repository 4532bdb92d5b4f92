// The whole-frame check's sums (keep_frame.frag), per texel, summed to one
// texel by core/reduce_sum:
//   r: the matte on the frame's edge (texels within u_edgeWidth of the border),
//   a: 1 there, so r / a is the share of the edge the matte covers;
//   g: on certain backdrop (trimap 0), the squared misfit of the image to the
//      clean backdrop, (L(image) - L(backdrop)) / max(L(backdrop), 0.02) in
//      linear luminance, b: 1 there, so sqrt(g / b) is how far the backdrop
//      departs from a smooth one (texture, folds, clutter).
#include "chunks/color"

uniform sampler2D u_alpha;
uniform sampler2D u_image;
uniform sampler2D u_backdrop;
uniform sampler2D u_trimap;
uniform vec2 u_alpha_size;
uniform float u_edgeWidth; // texels
varying vec2 v_uv;

void main() {
  vec2 p = gl_FragCoord.xy; // texel centres: 0.5 .. size - 0.5
  float edge = min(min(p.x, p.y), min(u_alpha_size.x - p.x, u_alpha_size.y - p.y)) < u_edgeWidth ? 1.0 : 0.0;
  float backdrop = texture2D(u_trimap, v_uv).r < 0.01 ? 1.0 : 0.0;
  float b = luminance(texture2D(u_backdrop, v_uv).rgb);
  float misfit = (luminance(texture2D(u_image, v_uv).rgb) - b) / max(b, 0.02);
  gl_FragColor = vec4(edge * texture2D(u_alpha, v_uv).r, backdrop * misfit * misfit, backdrop, edge);
}
