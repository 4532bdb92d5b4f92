// Per-pixel terms of the dark-floor count (chunks/glare, glareFloorAmount):
// a witness's weight where its ratio (raw - piece veil) / backdrop scatter
// is below threshold 4 * u_part + k, in channel k; the last channel of part 3
// is the weight itself. Summed over the image by core/reduce_sum. With a
// blown backdrop (u_hasBlown) the piece's veil counts only by
// glarePieceVeilInFloor.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_image;              // raw
uniform sampler2D u_scattered;          // blurred piece source of the raw image
uniform sampler2D u_scatteredBackdrop;  // blurred backdrop source of the current estimate
uniform sampler2D u_matte;
uniform sampler2D u_statsA;             // 1x1 veil fit sums (u_autoVeil)
uniform sampler2D u_statsB;
uniform sampler2D u_blown;              // 1x1 blown share sums (u_hasBlown)
uniform int u_hasBlown;
uniform float u_blownShare;
uniform int u_autoVeil;
uniform float u_veil;
uniform int u_part;
varying vec2 v_uv;

void main() {
  float amount = glareVeilAmount(u_statsA, u_statsB, u_autoVeil, u_veil);
  float backdrop = luminance(texture2D(u_scatteredBackdrop, v_uv).rgb);
  float w = glareFloorWitness(texture2D(u_matte, v_uv).r, backdrop);
  float pieceVeil = u_hasBlown == 1 ? glarePieceVeilInFloor(texture2D(u_blown, vec2(0.5)), u_blownShare) : 1.0;
  vec3 rest = texture2D(u_image, v_uv).rgb - pieceVeil * amount * texture2D(u_scattered, v_uv).rgb;
  float ratio = min(rest.r, min(rest.g, rest.b)) / max(backdrop, GLARE_FLOOR_MIN_SCATTER);
  vec4 below;
  for (int k = 0; k < 4; k++) {
    int i = 4 * u_part + k;
    below[k] = i == 15 || ratio < glareFloorThreshold(i, amount) ? w : 0.0;
  }
  gl_FragColor = below;
}
