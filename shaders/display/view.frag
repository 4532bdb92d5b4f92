// On-screen view of a graph image: zoom, pan, before/after split, alpha over a
// checkerboard, sRGB encoding for the display.
// Image row 0 is the top of the picture (v = 0) while gl_FragCoord.y runs
// bottom-up: this is the one place in the engine that flips.
#include "chunks/color"

uniform sampler2D u_image;      // "after": linear, premultiplied
uniform sampler2D u_before;     // "before" (the source); only read when u_split >= 0
uniform vec2 u_image_size;
uniform vec2 u_before_size;
uniform vec2 u_resolution;      // canvas in device pixels
uniform vec2 u_sourceSize;      // full-resolution image size (images may be proxies)
uniform vec2 u_center;          // image point shown at the canvas centre, 0..1 (v down)
uniform float u_zoom;           // device pixels per full-resolution image pixel (1 = 100%)
uniform float u_split;          // split position across the canvas 0..1; < 0: no split
uniform vec3 u_backdrop;        // sRGB colour around the image

// At 100% and beyond a retoucher wants to see the pixels themselves, not a
// bilinear blur of them: snap to texel centres.
vec4 sampleImage(sampler2D tex, vec2 size, vec2 uv) {
  if (u_zoom >= 1.0) uv = (floor(uv * size) + 0.5) / size;
  return texture2D(tex, uv);
}

void main() {
  vec2 screen = vec2(gl_FragCoord.x, u_resolution.y - gl_FragCoord.y);
  vec2 uv = u_center + (screen - 0.5 * u_resolution) / (u_zoom * u_sourceSize);
  if (uv.x < 0.0 || uv.y < 0.0 || uv.x > 1.0 || uv.y > 1.0) {
    gl_FragColor = vec4(u_backdrop, 1.0);
    return;
  }
  bool before = u_split >= 0.0 && screen.x < u_split * u_resolution.x;
  vec4 c = before ? sampleImage(u_before, u_before_size, uv) : sampleImage(u_image, u_image_size, uv);
  // 8 device-pixel checkerboard behind transparent areas, in linear light.
  vec2 cell = floor(screen / 8.0);
  float checker = mod(cell.x + cell.y, 2.0) < 1.0 ? 0.8 : 0.55;
  vec3 rgb = c.rgb + (1.0 - clamp(c.a, 0.0, 1.0)) * vec3(srgbToLinear1(checker));
  vec3 shown = linearToSrgb(clamp(rgb, 0.0, 1.0));
  if (u_split >= 0.0 && abs(screen.x - u_split * u_resolution.x) < 1.0) shown = vec3(1.0, 0.8, 0.2);
  gl_FragColor = vec4(shown, 1.0);
}
