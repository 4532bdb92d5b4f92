// Shows one channel of an internal image as a grey mask (r = g = b, a = 1).
uniform sampler2D u_image;
uniform int u_channel; // 0 r, 1 g, 2 b, 3 a
varying vec2 v_uv;

void main() {
  vec4 c = texture2D(u_image, v_uv);
  float v = u_channel == 0 ? c.r : u_channel == 1 ? c.g : u_channel == 2 ? c.b : c.a;
  gl_FragColor = vec4(vec3(v), 1.0);
}
