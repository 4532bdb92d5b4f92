// A shot whose piece covers most of the frame's edge has no plain backdrop
// around the piece (a hand, a sleeve, a table: a lifestyle shot), and a key
// there cuts the scene into patches. Such a shot keeps the whole frame: the
// layer goes to what it is for an opaque frame (alpha 1, the image as the
// foreground, no shadow), ramped in over u_ramp below u_maxCover.
uniform sampler2D u_layer;
uniform sampler2D u_cover;  // 1x1 (covered edge texels, 0, 0, edge texels): edge_cover summed
uniform sampler2D u_image;  // the frame as shot, kept where u_keepImage = 1
uniform int u_keepImage;
uniform vec4 u_keep;        // the whole frame's value otherwise
uniform float u_maxCover;
uniform float u_ramp;
varying vec2 v_uv;

void main() {
  vec4 cover = texture2D(u_cover, vec2(0.5));
  float whole = smoothstep(u_maxCover - u_ramp, u_maxCover, cover.r / max(cover.a, 1.0));
  vec4 keep = u_keepImage == 1 ? texture2D(u_image, v_uv) : u_keep;
  gl_FragColor = mix(texture2D(u_layer, v_uv), keep, whole);
}
