// Smudges: low-contrast soft blotches (fingerprint grease, haze): the colour
// is pulled towards a slightly lifted, desaturated version of itself, with
// faint ridges so they read as prints rather than flat shading.
#include "generator/defect"
#include "generator/hash"
#define MAX_SMUDGES 8

uniform float u_smudgeX[MAX_SMUDGES];       // centre, pixels
uniform float u_smudgeY[MAX_SMUDGES];
uniform float u_smudgeRadiusX[MAX_SMUDGES]; // pixels
uniform float u_smudgeRadiusY[MAX_SMUDGES];
uniform float u_smudgeAngle[MAX_SMUDGES];   // radians
uniform float u_smudgeStrength[MAX_SMUDGES];
uniform int u_smudgeCount;

void main() {
  vec4 original = texture2D(u_image, v_uv);
  vec2 pix = gl_FragCoord.xy;
  vec3 c = original.rgb;
  float weight = 0.0;
  for (int i = 0; i < MAX_SMUDGES; i++) {
    if (i >= u_smudgeCount) break;
    vec2 d = pix - vec2(u_smudgeX[i], u_smudgeY[i]);
    float ca = cos(u_smudgeAngle[i]);
    float sa = sin(u_smudgeAngle[i]);
    vec2 local = vec2(ca * d.x + sa * d.y, -sa * d.x + ca * d.y) / vec2(u_smudgeRadiusX[i], u_smudgeRadiusY[i]);
    float q = length(local);
    if (q >= 1.0) continue;
    float ridges = 0.75 + 0.25 * sin(q * 40.0 + 3.0 * valueNoise(local * 4.0 + float(i) * 13.0));
    float w = bump(q) * ridges;
    vec3 haze = mix(c, vec3(luminance(c)), 0.6) * 0.85 + 0.05;
    c = mix(c, haze, w * u_smudgeStrength[i]);
    weight = max(weight, w);
  }
  gl_FragColor = defectResult(original, c, weight);
}
