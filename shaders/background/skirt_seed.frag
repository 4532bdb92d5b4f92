// Where the skirt's growth starts: certain backdrop that is smooth over the
// wide shadow window too, i.e. open backdrop away from any piece. Backdrop-
// bright spots a piece encloses (a diamond's table facet) have the piece's
// structure nearby and seed nothing.
uniform sampler2D u_key;   // key_soft: b = certain backdrop
uniform sampler2D u_edges; // edge_energy blurred over the wide shadow window
uniform sampler2D u_noise; // 1x1 (sum, 0, 0, count): relative noise std
uniform float u_textureTolerance;
varying vec2 v_uv;

void main() {
  vec4 noisePacked = texture2D(u_noise, vec2(0.5));
  float tolerance = max(u_textureTolerance, 2.0 * noisePacked.r / max(noisePacked.a, 1e-6));
  float seed = step(0.5, texture2D(u_key, v_uv).b) * (1.0 - step(tolerance, texture2D(u_edges, v_uv).r));
  gl_FragColor = vec4(vec3(seed), 1.0);
}
