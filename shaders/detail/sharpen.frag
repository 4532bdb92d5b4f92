// Thresholded unsharp mask with a CAS-style halo clamp, in sRGB-encoded
// straight colour (so amount and threshold act on visible contrast):
//   detail = image - blur(image)             the high-frequency component
//   gate   = 0 below the noise floor, 1 from twice it (on detail luminance,
//            one gate for all channels so noise gains no colour)
//   result = image + amount * gate * detail, clamped to the 3x3 neighbourhood's
//            min/max widened by `overshoot` of its range (AMD FidelityFX CAS
//            limits sharpening the same way), so edges steepen without halos.
#include "chunks/color"

uniform sampler2D u_image;
uniform vec2 u_image_size;
uniform sampler2D u_blur;
uniform sampler2D u_mask;
uniform int u_hasMask;
uniform float u_amount;
uniform float u_threshold;   // noise floor in encoded units (0..1)
uniform float u_overshoot;   // allowed overshoot as a fraction of the local range
varying vec2 v_uv;

vec3 encoded(vec4 premultiplied) {
  return linearToSrgb(unpremultiply(premultiplied).rgb);
}

void main() {
  vec4 src = texture2D(u_image, v_uv);
  vec3 centre = encoded(src);
  vec3 detail = centre - encoded(texture2D(u_blur, v_uv));
  float magnitude = abs(luminance(detail));
  float gate = u_threshold > 0.0 ? smoothstep(u_threshold, 2.0 * u_threshold, magnitude) : 1.0;
  vec3 sharpened = centre + u_amount * gate * detail;

  vec2 t = 1.0 / u_image_size;
  vec3 lo = centre;
  vec3 hi = centre;
  for (int dy = -1; dy <= 1; dy++) {
    for (int dx = -1; dx <= 1; dx++) {
      vec3 n = encoded(texture2D(u_image, v_uv + vec2(float(dx), float(dy)) * t));
      lo = min(lo, n);
      hi = max(hi, n);
    }
  }
  vec3 margin = u_overshoot * (hi - lo);
  sharpened = clamp(sharpened, lo - margin, hi + margin);

  float m = u_hasMask == 1 ? texture2D(u_mask, v_uv).r : 1.0;
  vec3 result = mix(centre, sharpened, m);
  gl_FragColor = premultiply(vec4(srgbToLinear(result), src.a));
}
