// Glare flattening, final stage (after veil removal). The image is split into an edge-preserving
// base (bilateral) and a detail layer (image - base). Where the base is
// elevated above the glare-free tone of its surroundings (normalised
// convolution of non-glare pixels, which carries their own colour, so gold
// stays gold and silver stays neutral), the base is pulled towards that tone;
// detail is kept. Small glints (much brighter than their immediate
// neighbourhood) are protected.
//
// u_output selects what this draw writes: 0 corrected image, 1 applied
// amount (mask), 2 corrected base, 3 sparkle-protection mask.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_image;      // veil-free estimate
uniform sampler2D u_base;
uniform sampler2D u_surround;   // blurred (w * base, w), last iteration
uniform sampler2D u_surroundNear; // the same weights blurred at the reach
uniform sampler2D u_highlights; // highlights.frag output blurred at the surround radius
uniform sampler2D u_nearby;     // compact highlights (r), piece (g), blown backdrop (b) blurred at the reach
uniform sampler2D u_matte;
uniform int u_hasMatte;
uniform sampler2D u_local;      // image blurred at the sparkle size
uniform sampler2D u_pieceColour; // (image * matte, matte) blurred at the reach (light/weight_pack)
uniform float u_strength;
uniform float u_excess;
uniform float u_sparkleContrast;
uniform float u_sparkleProtection;
uniform float u_detail;
uniform float u_detailCeiling;
uniform int u_output;
varying vec2 v_uv;

const float TONE_SUPPORT_MIN = 0.05;

void main() {
  vec4 src = texture2D(u_image, v_uv);
  vec4 base = texture2D(u_base, v_uv);
  vec4 s = texture2D(u_surround, v_uv);
  vec3 surround = s.a > 1e-6 ? s.rgb / s.a : base.rgb;
  vec4 wideSum = texture2D(u_highlights, v_uv);
  float thin = glareThinness(wideSum);
  // On a thin piece the tone is the strand's and backdrop's right around the
  // bloom, within the reach: the surround's, wider, reaches over to whatever
  // broad piece is near (a white speck beside a dark bracelet turned grey).
  vec4 sn = texture2D(u_surroundNear, v_uv);
  vec3 nearTone = sn.a > 1e-6 ? sn.rgb / sn.a : base.rgb;
  surround = mix(surround, nearTone, thin);

  // Glare is a compact highlight and the light around it: act within about
  // the reach of one. Inside a large bright area there is no glare-free tone
  // to restore.
  vec4 reachSum = texture2D(u_nearby, v_uv);
  float nearGlare = smoothstep(0.02, 0.12, reachSum.r / max(reachSum.g, 1e-6));
  float confidence = glareCompactness(wideSum);
  float m = u_hasMatte == 1 ? texture2D(u_matte, v_uv).r : 1.0;
  float sparkleRatio = luminance(src.rgb) / max(luminance(texture2D(u_local, v_uv).rgb), 1e-4);
  float sparkle = smoothstep(0.8 * u_sparkleContrast, 1.2 * u_sparkleContrast, sparkleRatio);
  // s.a is the Gaussian-weighted share of glare-free piece pixels around: where
  // it is tiny the tone is extrapolated from far away (a hotspot in a region
  // the matte leaves out, a lifestyle shot's keying) and came out as flat,
  // blocky patches of the wrong colour, so such pixels are left alone. On a
  // thin piece it is sn.a, within the reach, with a lower ramp: a strand and
  // its uncertain band fill little of any neighbourhood (a bloom on a chain:
  // sn.a ~0.17, s.a ~0.07; a blown speck whose band is all elevated: 0).
  float toneSupport = mix(smoothstep(TONE_SUPPORT_MIN, 4.0 * TONE_SUPPORT_MIN, s.a), smoothstep(0.4 * TONE_SUPPORT_MIN, 1.6 * TONE_SUPPORT_MIN, sn.a), thin);
  vec4 piece = texture2D(u_pieceColour, v_uv);
  float sameHue = piece.a > 1e-6 ? glareSameHue(surround, piece.rgb / piece.a) : 1.0;
  float amount = u_strength * glareElevation(base.rgb, surround, u_excess) * nearGlare * confidence * toneSupport * sameHue * m * (1.0 - u_sparkleProtection * sparkle)
    * glareBesideBlownBackdrop(reachSum.b);

  vec3 flattened = mix(base.rgb, surround, amount);
  // Glare only adds light: inside flattened areas, positive detail beyond a
  // fraction of the restored tone is glare left over by the base (the steep
  // rim of a hotspot), not texture. Negative detail (engraving) is kept.
  vec3 detail = src.rgb - base.rgb;
  detail = mix(detail, min(detail, u_detailCeiling * surround), amount);
  vec3 result = flattened + detail * mix(1.0, u_detail, amount);

  if (u_output == 1) gl_FragColor = vec4(vec3(amount), 1.0);
  else if (u_output == 2) gl_FragColor = vec4(flattened, src.a);
  else if (u_output == 3) gl_FragColor = vec4(vec3(sparkle), 1.0);
  else gl_FragColor = vec4(result, src.a);
}
