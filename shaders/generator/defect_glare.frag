// Glare: veiling glare (a wide blur of the bright parts, added) and clipped
// hotspots: a highlight that bloomed past the sensor's white point, so the
// blob follows the bright metal under it and wipes out its detail.
#include "generator/defect"
#define MAX_HOTSPOTS 6

uniform sampler2D u_veil;        // blurred glare source
uniform float u_veilAmount;
uniform float u_hotX[MAX_HOTSPOTS];      // centre, pixels
uniform float u_hotY[MAX_HOTSPOTS];
uniform float u_hotRadius[MAX_HOTSPOTS];
uniform float u_hotAmount[MAX_HOTSPOTS]; // added at the centre (> 1 clips)
uniform int u_hotCount;

// Veil below this (linear) is dropped, so the mask ends where the glare ends.
const float VEIL_FLOOR = 1.0 / 1024.0;
const vec3 HOTSPOT_TINT = vec3(1.0, 0.98, 0.94);

void main() {
  vec4 original = texture2D(u_image, v_uv);
  vec2 pix = gl_FragCoord.xy;
  vec3 veil = u_veilAmount * texture2D(u_veil, v_uv).rgb;
  float veilLevel = luminance(veil);
  if (veilLevel < VEIL_FLOOR) {
    veil = vec3(0.0);
    veilLevel = 0.0;
  }
  float hot = 0.0;
  for (int i = 0; i < MAX_HOTSPOTS; i++) {
    if (i >= u_hotCount) break;
    float q = length(pix - vec2(u_hotX[i], u_hotY[i])) / u_hotRadius[i];
    hot += u_hotAmount[i] * bump(q);
  }
  hot *= 0.35 + 0.65 * smoothstep(0.25, 0.8, luminance(original.rgb));
  vec3 c = original.rgb + veil + hot * HOTSPOT_TINT;
  // Mask: 1 where the hotspot clips or the veil lifts the level by 0.05.
  gl_FragColor = defectResult(original, c, max(veilLevel / 0.05, hot));
}
