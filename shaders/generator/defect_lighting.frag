// Uneven lighting: a linear falloff across the set times a vignette, applied
// multiplicatively. Mask: |gain - 1| relative to 0.3 (a 30% change reads 1).
#include "generator/defect"

uniform vec2 u_gradientDir;     // unit vector in image space (y down)
uniform float u_gradientAmount; // gain change per image height
uniform vec2 u_lightCentre;     // brightest point, in image heights from the top-left
uniform float u_vignette;       // gain lost in the corners

void main() {
  vec4 original = texture2D(u_image, v_uv);
  vec2 q = gl_FragCoord.xy / u_resolution.y;
  vec2 halfSize = 0.5 * u_resolution / u_resolution.y;
  float ramp = 1.0 + u_gradientAmount * dot(q - u_lightCentre, u_gradientDir);
  float r = length(q - halfSize) / length(halfSize);
  float gain = ramp * (1.0 - u_vignette * r * r);
  gl_FragColor = defectResult(original, original.rgb * gain, abs(gain - 1.0) / 0.3);
}
