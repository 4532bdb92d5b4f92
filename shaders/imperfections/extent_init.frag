// Start of the extent measurement at the coarse level, for one polarity
// (u_dark = 0: bright features, u_thin.r; 1: dark ones, u_thin.g; block maxima
// of the fine indicators). Texels whose block holds such a thin feature start
// with their own bounding box (x, y, -x, -y); all others hold EXTENT_NONE and
// never change. Polarities are kept apart so a dark speck is not joined to a
// dark chain through the bright gap between them. Blocks with a glint core
// start with a huge box: a glint's rays and halo, connected to its core, then
// count as long structure and are kept. A glint core is a clipped texel
// (u_thin.b) in a block that holds a bright thin feature, in a neighbourhood
// that is mostly not clipped. A blown-out backdrop (white shot at 255) is
// clipped but flat, and the white gap between two specks on it is thin but
// surrounded by clipped blocks: dust there is dust.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_thin;
uniform vec2 u_thin_size;
uniform float u_dark;
uniform float u_frameExtension;

// Share of clipped blocks in the 5x5 around, from which a clipped block is part
// of a blown-out area rather than a glint core (a star glint's clipped core and
// rays fill at most about a third of it).
const float BLOWN_SHARE = 0.6;

bool glintCore(vec2 p, vec4 t) {
  if (t.b < 0.5 || t.r < 0.5) return false;
  float clipped = 0.0;
  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++) clipped += texelAt(u_thin, u_thin_size, p + vec2(float(dx), float(dy))).b;
  return clipped < BLOWN_SHARE * 25.0;
}

void main() {
  vec2 p = currentTexel();
  vec4 t = texelAt(u_thin, u_thin_size, p);
  bool thin = (u_dark > 0.5 ? t.g : t.r) > 0.5;
  if (glintCore(p, t)) gl_FragColor = vec4(p - GLINT_EXTENT, -p - GLINT_EXTENT);
  else if (thin) {
    // A feature that leaves the frame goes on out of sight: its box reaches
    // u_frameExtension texels past the edge, so a chain running out of the
    // picture counts as long while a speck on the edge stays short.
    vec2 low = p - u_frameExtension * vec2(lessThan(p, vec2(0.5)));
    vec2 high = p + u_frameExtension * vec2(greaterThan(p, u_thin_size - 1.5));
    gl_FragColor = vec4(low, -high);
  } else gl_FragColor = vec4(EXTENT_NONE);
}
