// Composites the keyed piece over a new background, with the contact shadow
// darkening that background: out = F a + (1 - a) C (1 - s * opacity).
// In transparent mode the shadow becomes black at opacity s (1 - a) instead.
// Colours arrive as sRGB and are decoded; gradients interpolate in sRGB,
// which is how a designer picks and sees them.
#include "chunks/color"

uniform sampler2D u_foreground; // premultiplied by alpha
uniform sampler2D u_alpha;      // red; the foreground's own alpha when absent
uniform sampler2D u_shadow;     // red: darkening 0..1
uniform sampler2D u_background; // premultiplied image for mode 4
uniform int u_hasAlpha;
uniform int u_hasShadow;
uniform int u_mode;             // 0 transparent, 1 colour, 2 linear gradient, 3 radial gradient, 4 image
uniform vec3 u_color;           // sRGB
uniform vec3 u_color2;          // sRGB, gradient end
uniform vec2 u_direction;       // linear gradient direction (unit, in pixels' aspect)
uniform vec2 u_center;          // radial gradient centre (uv)
uniform float u_radius;         // radial gradient radius, in pixels
uniform float u_shadowOpacity;
uniform vec2 u_resolution; // output size in texels
varying vec2 v_uv;

vec4 background() {
  if (u_mode == 1) return vec4(srgbToLinear(u_color), 1.0);
  vec2 px = v_uv * u_resolution;
  if (u_mode == 2) {
    // Project onto the direction; 0 at the corner it points away from, 1 at the opposite corner.
    vec2 centred = px - 0.5 * u_resolution;
    float extent = 0.5 * dot(abs(u_direction), u_resolution);
    float t = clamp(0.5 + dot(centred, u_direction) / (2.0 * extent), 0.0, 1.0);
    return vec4(srgbToLinear(mix(u_color, u_color2, t)), 1.0);
  }
  if (u_mode == 3) {
    float t = clamp(length(px - u_center * u_resolution) / u_radius, 0.0, 1.0);
    return vec4(srgbToLinear(mix(u_color, u_color2, t)), 1.0);
  }
  return texture2D(u_background, v_uv);
}

void main() {
  vec4 fg = texture2D(u_foreground, v_uv);
  float a = u_hasAlpha == 1 ? texture2D(u_alpha, v_uv).r : fg.a;
  float s = u_hasShadow == 1 ? u_shadowOpacity * texture2D(u_shadow, v_uv).r : 0.0;
  if (u_mode == 0) {
    gl_FragColor = vec4(fg.rgb, a + (1.0 - a) * s);
    return;
  }
  vec4 bg = background() * vec4(vec3(1.0 - s), 1.0);
  gl_FragColor = vec4(fg.rgb, a) + (1.0 - a) * bg;
}
