// Smudge core: the blotch deviation against the threshold max(floor, k x
// activity, kf x fine level) (ramp T..2T), vetoed where the 3x3 blocks hold
// structure (gradient ramp u_edge..2 u_edge), and faded out within one
// surround sigma of the frame, where the clamped blurs bias the surround on
// curved shading. Block statistics are interpolated bilinearly, so the mask
// has no block seams.
#include "chunks/texel"
#include "chunks/smudge"
uniform sampler2D u_low;
uniform vec2 u_low_size;
uniform sampler2D u_surround;
uniform sampler2D u_activity;
uniform vec2 u_activity_size;
uniform float u_floor;
uniform float u_deviationFactor;
uniform float u_fineFactor;
uniform float u_edge;
uniform float u_surroundSigma;

void main() {
  vec2 p = currentTexel();
  vec3 d = smudgeDeviation(texelAt(u_low, u_low_size, p), texelAt(u_surround, u_low_size, p));
  vec3 a = bilinearCovering(u_activity, u_activity_size, u_low_size).rgb;
  float t = max(u_floor, max(u_deviationFactor * a.r, u_fineFactor * a.b));
  vec2 inside = min(p + 0.5, u_low_size - p - 0.5);
  float frame = smoothstep(0.5 * u_surroundSigma, u_surroundSigma, min(inside.x, inside.y));
  float m = smoothstep(t, 2.0 * t, length(d)) * (1.0 - smoothstep(u_edge, 2.0 * u_edge, a.g)) * frame;
  gl_FragColor = vec4(vec3(m), 1.0);
}
