// How a pixel differs from the clean backdrop behind it (both linear RGB),
// shared by keying and the shadow layer. Colour differences are relative to
// the backdrop's brightest channel, so one threshold works on any backdrop
// brightness and a saturated backdrop's weak channels do not inflate them.
#include "chunks/color"
#include "chunks/noise"

// What colour differences are measured against: the backdrop's brightest
// channel, so that a difference of that size is a whole piece. On a dark
// backdrop the piece is what is bright: its edges are measured against
// DARK_BACKDROP_SCALE (a mid grey), or every faint spill of its light around
// it would count as solid piece.
const float DARK_BACKDROP_SCALE = 0.2;
float backdropScale(vec3 backdrop) {
  return max(max(backdrop.r, max(backdrop.g, backdrop.b)), DARK_BACKDROP_SCALE);
}

// Relative colour difference from the backdrop: alpha |F - B| / scale for a mixed pixel.
float backdropContrast(vec3 c, vec3 backdrop) {
  return length(c - backdrop) / backdropScale(backdrop);
}

// The key's backdrop threshold: `low`, or more where the noise needs it. The
// key's backdrop test reads the image blurred at sigma 1.5, which leaves 0.19
// of the noise, and three channels' noise is about sqrt(3) of one: the
// threshold stays above 5 of those.
float backdropLow(float low, sampler2D noisePacked) {
  return max(low, 5.0 * 1.73 * 0.19 * noiseLevel(noisePacked));
}

// How near black the backdrop is: 1 up to 0.02 (linear, brightest channel),
// 0 from 0.1. There every piece differs from it by dozens of thresholds and
// only the backdrop itself (or what is as dark) matches it.
float nearBlack(vec3 backdrop) {
  return 1.0 - smoothstep(0.02, 0.1, max(backdrop.r, max(backdrop.g, backdrop.b)));
}

// Fraction of the backdrop's light missing at this pixel (0 = as bright, 1 = black).
float backdropDarkening(vec3 c, vec3 backdrop) {
  return clamp((luminance(backdrop) - luminance(c)) / relativeBase(luminance(backdrop)), 0.0, 1.0);
}

// backdropDarkening per channel: a shadow lit by coloured light darkens each
// channel by its own share (the same share in each for a colourless one).
vec3 channelDarkening(vec3 c, vec3 backdrop) {
  return clamp((backdrop - c) / vec3(relativeBase(backdrop.r), relativeBase(backdrop.g), relativeBase(backdrop.b)), 0.0, 1.0);
}

// Colour difference left after explaining the pixel as the backdrop scaled in
// brightness (what a shadow does): hue and saturation changes, relative.
float chromaDifference(vec3 c, vec3 backdrop) {
  float k = luminance(c) / max(luminance(backdrop), 1e-4);
  return length(c - k * backdrop) / backdropScale(backdrop);
}

// How much relight.frag brightened a pixel, as the factors that undo it
// (relight divides each channel by a number in (0, 1]).
vec3 relightFactor(vec3 original, vec3 relit) {
  return vec3(relit.r > 1e-6 ? min(original.r / relit.r, 1.0) : 1.0,
              relit.g > 1e-6 ? min(original.g / relit.g, 1.0) : 1.0,
              relit.b > 1e-6 ? min(original.b / relit.b, 1.0) : 1.0);
}
