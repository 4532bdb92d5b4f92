// Bilinear resample of the input to the output size (upsampling pyramid
// levels, or a final resize step after downsample.frag).
uniform sampler2D u_image;
varying vec2 v_uv;
void main() {
  gl_FragColor = texture2D(u_image, v_uv);
}
