// The demo's built-in sample: a procedural raw product shot of a gold ring
// with a blue stone on a white backdrop, with the defects a retoucher fixes:
// uneven light, a blown highlight, dust specks and sensor noise.
// Output: linear light, opaque.
#include "chunks/color"

uniform vec2 u_resolution;
uniform float u_seed;
varying vec2 v_uv;

float hash(vec2 p) {
  p = fract(p * vec2(123.34, 456.21) + u_seed * 0.137);
  p += dot(p, p + 45.32);
  return fract(p.x * p.y);
}

void main() {
  float aspect = u_resolution.x / u_resolution.y;
  vec2 p = (v_uv - 0.5) * vec2(aspect, 1.0);   // y grows downwards (row 0 = top)
  vec2 px = v_uv * u_resolution;

  // Backdrop: white sweep, darker towards the bottom right (uneven light).
  vec3 col = vec3(0.80) * (1.0 - 0.35 * smoothstep(-0.6, 0.9, p.x + p.y));
  // Soft contact shadow under the ring.
  float shadow = exp(-pow(length((p - vec2(0.02, 0.2)) / vec2(0.36, 0.06)), 2.0));
  col *= 1.0 - 0.45 * shadow;

  // The ring: an elliptical band (a circle seen at an angle), shaded as a tube.
  vec2 radii = vec2(0.30, 0.12);
  vec2 q = p - vec2(0.0, 0.06);
  float e = length(q / radii);
  float across = (e - 1.0) / 0.28;              // -1..1 across the band
  if (abs(across) < 1.0) {
    float angle = atan(q.y / radii.y, q.x / radii.x);
    float tube = sqrt(1.0 - across * across);
    vec3 gold = vec3(0.83, 0.52, 0.16);
    float reflection = 0.25 + 0.75 * pow(0.5 + 0.5 * cos(3.0 * angle + 1.2), 2.0);
    vec3 metal = gold * (0.12 + 0.9 * tube * reflection);
    // Blown highlight along the top of the tube (the glare to flatten).
    metal += vec3(1.6) * pow(max(0.0, 1.0 - abs(across + 0.35) * 3.0), 3.0) * smoothstep(0.03, -0.06, q.y) * reflection;
    float edge = smoothstep(1.0, 0.9, abs(across));
    col = mix(col, metal, edge);
  }

  // The stone: a faceted blue gem set on top of the band.
  vec2 g = p - vec2(0.0, -0.085);
  float r = length(g);
  if (r < 0.075) {
    float facet = floor((atan(g.y, g.x) + 3.14159) / 6.28318 * 8.0);
    float shade = 0.25 + 0.6 * hash(vec2(facet, floor(r * 40.0)));
    vec3 gem = vec3(0.02, 0.08, 0.45) * shade + vec3(0.4, 0.5, 0.9) * pow(1.0 - r / 0.075, 6.0);
    col = mix(col, gem, smoothstep(0.075, 0.072, r));
    // Small glints (gem fire) that a cleanup must keep.
    float glint = exp(-dot(g - vec2(-0.025, -0.02), g - vec2(-0.025, -0.02)) * 40000.0);
    col += vec3(2.0) * glint;
  }

  // Dust: at most one dark speck of 1-3 px per 48 px cell.
  vec2 cell = floor(px / 48.0);
  if (hash(cell) > 0.8) {
    vec2 centre = (cell + 0.2 + 0.6 * vec2(hash(cell + 7.1), hash(cell + 3.7))) * 48.0;
    float radius = 1.0 + 2.0 * hash(cell + 1.3);
    col *= 1.0 - 0.6 * smoothstep(radius, radius - 1.0, length(px - centre));
  }

  // Sensor noise, about 1 % of full scale.
  col += (hash(px) - 0.5) * 0.02;
  gl_FragColor = vec4(max(col, 0.0), 1.0);
}
