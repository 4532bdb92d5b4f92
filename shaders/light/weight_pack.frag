// (rgb * w, w) for a normalized convolution: blurring this and dividing rgb
// by alpha averages the image over the weight only (Knutsson & Westin 1993).
// The weight is the red channel of u_weight, or 1 - red with u_invert.
uniform sampler2D u_image;
uniform sampler2D u_weight;
uniform int u_invert;
varying vec2 v_uv;

void main() {
  float w = texture2D(u_weight, v_uv).r;
  if (u_invert == 1) w = 1.0 - w;
  gl_FragColor = vec4(texture2D(u_image, v_uv).rgb * w, w);
}
