// Small scratches: short thin strokes, tapered at both ends, that catch the
// light (bright) or show as fine dark lines.
#include "generator/defect"
#define MAX_SCRATCHES 16

uniform float u_scratchX0[MAX_SCRATCHES];   // end points, pixels
uniform float u_scratchY0[MAX_SCRATCHES];
uniform float u_scratchX1[MAX_SCRATCHES];
uniform float u_scratchY1[MAX_SCRATCHES];
uniform float u_scratchWidth[MAX_SCRATCHES];  // pixels
uniform float u_scratchTone[MAX_SCRATCHES];   // > 0 bright, < 0 dark; |tone| = strength
uniform int u_scratchCount;

void main() {
  vec4 original = texture2D(u_image, v_uv);
  vec2 pix = gl_FragCoord.xy;
  vec3 c = original.rgb;
  float weight = 0.0;
  for (int i = 0; i < MAX_SCRATCHES; i++) {
    if (i >= u_scratchCount) break;
    vec2 a = vec2(u_scratchX0[i], u_scratchY0[i]);
    vec2 ab = vec2(u_scratchX1[i], u_scratchY1[i]) - a;
    float h = clamp(dot(pix - a, ab) / dot(ab, ab), 0.0, 1.0);
    float d = length(pix - a - ab * h);
    float taper = sqrt(4.0 * h * (1.0 - h));
    float cover = strokeCoverage(0.5 * u_scratchWidth[i] * taper, d);
    if (cover <= 0.0) continue;
    float tone = u_scratchTone[i];
    vec3 target = tone > 0.0 ? min(c * 1.6 + 0.15, vec3(1.0)) : c * 0.4;
    c = mix(c, target, cover * abs(tone));
    weight = max(weight, cover);
  }
  gl_FragColor = defectResult(original, c, weight);
}
