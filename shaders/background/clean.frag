// Mutes the backdrop without cutting the piece out: the backdrop seen through
// (1 - alpha) is replaced by a smoothed, evened, desaturated and lightened
// version of itself. Old backdrop light in the piece's edge pixels is taken
// out with it (the piece's own colour comes from u_foreground when given).
#include "chunks/color"

uniform sampler2D u_image;
uniform sampler2D u_alpha;      // red
uniform sampler2D u_foreground; // premultiplied decontaminated piece, optional
uniform sampler2D u_smooth;     // blurred (B (1 - a), 1 - a) at the user's blur radius
uniform sampler2D u_near;       // same at a small radius: the old backdrop at the edge
uniform sampler2D u_mean;       // 1x1 mean backdrop (rgb w, w)
uniform int u_hasForeground;
uniform float u_evenOut;        // 0..1 towards the mean backdrop brightness
uniform float u_desaturate;     // 0..1 towards grey
uniform float u_lighten;        // 0..1 towards white
varying vec2 v_uv;

vec3 average(vec4 weighted, vec3 fallback) {
  return weighted.a > 1e-5 ? weighted.rgb / weighted.a : fallback;
}

void main() {
  vec4 img = texture2D(u_image, v_uv);
  float a = texture2D(u_alpha, v_uv).r;
  vec4 meanPacked = texture2D(u_mean, vec2(0.5));
  vec3 meanColor = meanPacked.rgb / max(meanPacked.a, 1e-6);
  vec3 c = average(texture2D(u_smooth, v_uv), meanColor);
  c *= mix(1.0, luminance(meanColor) / max(luminance(c), 1e-4), u_evenOut);
  c = mix(c, vec3(luminance(c)), u_desaturate);
  c = mix(c, vec3(1.0), u_lighten);
  // The old backdrop behind an edge pixel: the pixel itself where nothing
  // covers it, its backdrop neighbours' average where the piece does.
  vec3 oldBackdrop = mix(img.rgb, average(texture2D(u_near, v_uv), meanColor), min(10.0 * a, 1.0));
  vec3 piece = u_hasForeground == 1 ? texture2D(u_foreground, v_uv).rgb : img.rgb - (1.0 - a) * oldBackdrop;
  gl_FragColor = vec4(piece + (1.0 - a) * c, img.a);
}
