// Exact 2x2 sum reduction: each output texel adds the (up to) four input
// texels it covers, fetched at their centres; texels past an odd edge count 0.
uniform sampler2D u_image;
uniform vec2 u_image_size;
varying vec2 v_uv;

void main() {
  vec2 first = floor(gl_FragCoord.xy) * 2.0;   // input texel index of the 2x2 block's corner
  vec4 sum = vec4(0.0);
  for (int dy = 0; dy < 2; dy++) {
    for (int dx = 0; dx < 2; dx++) {
      vec2 t = first + vec2(float(dx), float(dy));
      if (t.x < u_image_size.x && t.y < u_image_size.y) sum += texture2D(u_image, (t + 0.5) / u_image_size);
    }
  }
  gl_FragColor = sum;
}
