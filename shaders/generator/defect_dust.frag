// Dust specks: small discs, bright on dark surfaces and dark on bright ones.
#include "generator/defect"
#define MAX_SPECKS 48

uniform float u_speckX[MAX_SPECKS];      // centre, pixels from the top-left corner
uniform float u_speckY[MAX_SPECKS];
uniform float u_speckRadius[MAX_SPECKS]; // pixels
uniform float u_speckBright[MAX_SPECKS]; // 1: bright fleck, 0: dark fibre
uniform float u_speckStrength[MAX_SPECKS];
uniform int u_speckCount;

const vec3 BRIGHT_DUST = vec3(0.9, 0.89, 0.86);

void main() {
  vec4 original = texture2D(u_image, v_uv);
  vec2 pix = gl_FragCoord.xy;
  vec3 c = original.rgb;
  float weight = 0.0;
  for (int i = 0; i < MAX_SPECKS; i++) {
    if (i >= u_speckCount) break;
    float d = length(pix - vec2(u_speckX[i], u_speckY[i]));
    float cover = strokeCoverage(u_speckRadius[i], d);
    if (cover <= 0.0) continue;
    vec3 target = u_speckBright[i] > 0.5 ? BRIGHT_DUST : c * 0.25;
    c = mix(c, target, cover * u_speckStrength[i]);
    weight = max(weight, cover);
  }
  gl_FragColor = defectResult(original, c, weight);
}
