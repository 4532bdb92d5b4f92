// Trimap from the key: a pixel is definite piece (1) or definite backdrop (0)
// only when its whole edge band is (box mean of the indicators = 1), so every
// boundary gets an unknown band (0.5) of the band's width for the guided
// filter to resolve. Hints are definite whatever their surroundings.
// Output: r = input to the guided filter (0, 1 or the soft guess), g = trimap.
uniform sampler2D u_key;    // key_soft output
uniform sampler2D u_band;   // box mean of u_key over the edge band
uniform sampler2D u_hints;
uniform int u_hasHints;
varying vec2 v_uv;

void main() {
  vec4 key = texture2D(u_key, v_uv);
  vec4 band = texture2D(u_band, v_uv);
  float trimap = 0.5;
  if (band.g > 0.999) trimap = 1.0;
  else if (band.b > 0.999) trimap = 0.0;
  if (u_hasHints == 1) {
    vec2 h = texture2D(u_hints, v_uv).rg;
    if (h.r > 0.5) trimap = 1.0;
    if (h.g > 0.5) trimap = 0.0;
  }
  float p = trimap == 0.5 ? key.r : trimap;
  gl_FragColor = vec4(p, trimap, 0.0, 1.0);
}
