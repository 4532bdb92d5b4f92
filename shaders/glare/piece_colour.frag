// The piece's colour, weighted for a normalised convolution: (image * m, m),
// m = the matte (1 without one). Blurred at the reach it is the colour of the
// piece around a pixel, highlights included (glare/apply's hue test).
uniform sampler2D u_image;
uniform sampler2D u_matte;
uniform int u_hasMatte;
varying vec2 v_uv;

void main() {
  float m = u_hasMatte == 1 ? texture2D(u_matte, v_uv).r : 1.0;
  gl_FragColor = vec4(texture2D(u_image, v_uv).rgb * m, m);
}
