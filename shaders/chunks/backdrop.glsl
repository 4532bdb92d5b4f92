// How a pixel differs from the clean backdrop behind it (both linear RGB),
// shared by keying and the shadow layer. Differences are relative to the
// backdrop's luminance so one threshold works on any backdrop brightness.
#include "chunks/color"

// Fraction of the backdrop's light missing at this pixel (0 = as bright, 1 = black).
float backdropDarkening(vec3 c, vec3 backdrop) {
  return clamp(1.0 - luminance(c) / max(luminance(backdrop), 1e-4), 0.0, 1.0);
}

// Colour difference left after explaining the pixel as the backdrop scaled in
// brightness (what a shadow does): hue and saturation changes, relative.
float chromaDifference(vec3 c, vec3 backdrop) {
  float lb = max(luminance(backdrop), 1e-4);
  float k = luminance(c) / lb;
  return length(c - k * backdrop) / lb;
}
