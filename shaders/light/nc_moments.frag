// Weighted moments for a first-order normalized convolution: blurring these
// gives, around every pixel, the Gaussian-weighted sums needed to fit
// c + g . (x - x0) to the image over the weight m. A plain (zeroth-order)
// normalized convolution is biased next to holes in the weight (it averages
// only the far side of a gradient); the linear fit is not.
// Coordinates are in units of sigma from the image centre, which keeps the
// moment sums well conditioned in float32.
uniform sampler2D u_image;
uniform sampler2D u_weight; // red: m
uniform float u_sigma;      // texels
uniform int u_part;         // which four moments to write (see below)
uniform vec2 u_resolution; // output size in texels
varying vec2 v_uv;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  float m = texture2D(u_weight, v_uv).r;
  vec2 p = (v_uv - 0.5) * u_resolution / u_sigma;
  vec3 mc = m * c;
  if (u_part == 0) gl_FragColor = vec4(m, m * p.x, m * p.y, m * p.x * p.x);
  else if (u_part == 1) gl_FragColor = vec4(m * p.x * p.y, m * p.y * p.y, mc.r * p.x, mc.r * p.y);
  else if (u_part == 2) gl_FragColor = vec4(mc, mc.g * p.x);
  else gl_FragColor = vec4(mc.g * p.y, mc.b * p.x, mc.b * p.y, 0.0);
}
