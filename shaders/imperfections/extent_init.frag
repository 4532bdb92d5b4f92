// Start of the extent measurement at the coarse level, for one polarity
// (u_dark = 0: bright features, u_thin.r; 1: dark ones, u_thin.g; block maxima
// of the fine indicators). Texels whose block holds such a thin feature start
// with their own bounding box (x, y, -x, -y); all others hold EXTENT_NONE and
// never change. Polarities are kept apart so a dark speck is not joined to a
// dark chain through the bright gap between them. Blocks with a clipped texel
// (u_thin.b) start with a huge box: a glint's rays and halo, connected to its
// core, then count as long structure and are kept.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_thin;
uniform vec2 u_thin_size;
uniform float u_dark;

void main() {
  vec2 p = currentTexel();
  vec4 t = texelAt(u_thin, u_thin_size, p);
  bool thin = (u_dark > 0.5 ? t.g : t.r) > 0.5;
  // A feature that leaves the frame (a chain running out of the picture) has
  // an unknown length: it counts as long, like a glint.
  bool onFrame = p.x < 0.5 || p.y < 0.5 || p.x > u_thin_size.x - 1.5 || p.y > u_thin_size.y - 1.5;
  if (t.b > 0.5 || (thin && onFrame)) gl_FragColor = vec4(p - GLINT_EXTENT, -p - GLINT_EXTENT);
  else gl_FragColor = thin ? vec4(p, -p) : vec4(EXTENT_NONE);
}
