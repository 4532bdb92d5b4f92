// Bilinear resample of the input to the output size (upsampling pyramid
// levels, or a final resize step after downsample.frag). Interpolated by hand
// from texel-centre fetches: the GPU's own filtering weighs with 8 bits.
#include "chunks/texel"
uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform vec2 u_output_size;

void main() {
  gl_FragColor = bilinearCovering(u_image, u_image_size, u_output_size);
}
