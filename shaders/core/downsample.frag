// Halves the resolution with a [1 3 3 1]/8 kernel per axis: four bilinear
// fetches one source texel off the output pixel centre. Its stop band keeps
// the coarse pyramid levels free of visible aliasing.
uniform sampler2D u_image;
uniform vec2 u_image_size;
varying vec2 v_uv;

void main() {
  vec2 t = 1.0 / u_image_size;
  gl_FragColor = 0.25 * (
    texture2D(u_image, v_uv + vec2(-t.x, -t.y)) + texture2D(u_image, v_uv + vec2(t.x, -t.y)) +
    texture2D(u_image, v_uv + vec2(-t.x,  t.y)) + texture2D(u_image, v_uv + vec2(t.x,  t.y)));
}
