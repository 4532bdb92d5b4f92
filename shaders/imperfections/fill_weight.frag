// Level 0 of the push-pull pyramid: colour premultiplied by validity
// w = 1 - mask, with w in alpha. Averaging such texels averages valid colour only.
uniform sampler2D u_image;
uniform sampler2D u_mask;
varying vec2 v_uv;

void main() {
  float w = 1.0 - texture2D(u_mask, v_uv).r;
  gl_FragColor = vec4(texture2D(u_image, v_uv).rgb * w, w);
}
