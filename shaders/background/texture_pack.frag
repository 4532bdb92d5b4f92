// Texture of the open backdrop, packed for a normalized convolution:
// (e * w, 0, 0, w) with e the fine-scale edge energy and w = 1 on certain
// backdrop (the plain key, no shadow handling) away from any structure: less
// where the edge energy over the wide window is above the tolerance (a
// piece's edges, or white metal as bright as the backdrop, nearby). Blurred
// wide, r / a is the backdrop's own texture level around each pixel
// (chunks/texture).
uniform sampler2D u_key;   // key_soft without shadow handling: b = certain backdrop
uniform sampler2D u_edges; // edge_energy blurred by detailSigma
uniform sampler2D u_wide;  // edge_energy blurred over the wide shadow window
uniform sampler2D u_noise; // 1x1 (sum, 0, 0, count): relative noise std
uniform float u_textureTolerance;
#include "chunks/texture"

varying vec2 v_uv;

void main() {
  float e = texture2D(u_edges, v_uv).r;
  float tolerance = noiseTolerance(u_noise, u_textureTolerance);
  float w = step(0.5, texture2D(u_key, v_uv).b) * (1.0 - smoothstep(tolerance, 2.0 * tolerance, texture2D(u_wide, v_uv).r));
  gl_FragColor = vec4(e * w, 0.0, 0.0, w);
}
