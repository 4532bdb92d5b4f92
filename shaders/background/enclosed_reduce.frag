// Halves enclosed_pack's statistics with a 2x2 box: a texel of level L is
// exactly the 2^L x 2^L block of pixels under it (the [1 3 3 1] downsample
// would spread a block's support to three times that, and the inside of a
// pendant's outline would hold no block free of its outline).
uniform sampler2D u_image;
uniform vec2 u_image_size;
varying vec2 v_uv;

void main() {
  vec2 corner = 2.0 * floor(gl_FragCoord.xy) + 0.5;
  vec2 t = 1.0 / u_image_size;
  gl_FragColor = 0.25 * (texture2D(u_image, corner * t) + texture2D(u_image, (corner + vec2(1.0, 0.0)) * t)
                       + texture2D(u_image, (corner + vec2(0.0, 1.0)) * t) + texture2D(u_image, (corner + 1.0) * t));
}
