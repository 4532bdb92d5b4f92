// Flat-field correction: multiplies by target / illumination per channel.
// On the piece (backdrop mask 0) the gain is raised to u_pieceAmount in the
// log domain, so 0 leaves the piece as shot and 1 treats it like the backdrop.
#include "chunks/color"

uniform sampler2D u_image;
uniform sampler2D u_illumination; // estimated backdrop under the uneven light
uniform sampler2D u_mask;         // backdrop mask (red)
uniform sampler2D u_mean;         // 1x1 (rgb*w, w): mean backdrop colour
uniform float u_level;            // target backdrop luminance (linear); <= 0 keeps the mean
uniform int u_neutralize;         // 1: target is grey (removes a colour cast)
uniform float u_pieceAmount;
varying vec2 v_uv;

// Linear level below which a backdrop channel carries too little light to
// measure the illumination by (black velvet or acrylic: noise and a few JPEG
// levels, whose ratios would tint and darken the piece): the gain counts
// both the target and the illumination as at least this bright.
const float MEASURABLE_LIGHT = 0.01;

void main() {
  vec4 img = texture2D(u_image, v_uv);
  vec3 illum = max(texture2D(u_illumination, v_uv).rgb, vec3(MEASURABLE_LIGHT));
  vec4 meanPacked = texture2D(u_mean, vec2(0.5));
  vec3 meanColor = meanPacked.rgb / max(meanPacked.a, 1e-6);
  float level = u_level > 0.0 ? u_level : luminance(meanColor);
  vec3 target = u_neutralize == 1 ? vec3(level) : meanColor * (level / max(luminance(meanColor), 1e-4));
  vec3 gain = max(target, vec3(MEASURABLE_LIGHT)) / illum;
  float amount = mix(u_pieceAmount, 1.0, texture2D(u_mask, v_uv).r);
  gl_FragColor = vec4(img.rgb * pow(gain, vec3(amount)), img.a);
}
