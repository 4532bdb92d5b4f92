// Smudge mask: the blurred core times u_gain (capped at 1), so a blotch's
// soft flanks are corrected with its centre; texels whose correction would be
// invisible (mask x deviation under u_minChange) get 0 and stay as read.
#include "chunks/texel"
#include "chunks/smudge"
uniform sampler2D u_core;
uniform vec2 u_core_size;
uniform sampler2D u_low;
uniform sampler2D u_surround;
uniform float u_gain;
uniform float u_minChange;

void main() {
  vec2 p = currentTexel();
  vec3 d = smudgeDeviation(texelAt(u_low, u_core_size, p), texelAt(u_surround, u_core_size, p));
  float m = min(1.0, u_gain * texelAt(u_core, u_core_size, p).r);
  if (m * length(d) < u_minChange) m = 0.0;
  gl_FragColor = vec4(vec3(m), 1.0);
}
