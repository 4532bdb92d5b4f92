// Start of the extent measurement at the coarse level: texels whose block
// holds a thin feature above threshold (u_thin.r, block maxima of the fine
// indicator) start with their own bounding box (x, y, -x, -y); all others
// hold EXTENT_NONE and never change. Blocks with a clipped texel (u_thin.g)
// start with a huge box: a glint's rays and halo, connected to its core,
// then count as long structure and are kept.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_thin;
uniform vec2 u_thin_size;

void main() {
  vec2 p = currentTexel();
  vec4 t = texelAt(u_thin, u_thin_size, p);
  if (t.g > 0.5) gl_FragColor = vec4(p - GLINT_EXTENT, -p - GLINT_EXTENT);
  else gl_FragColor = t.r > 0.5 ? vec4(p, -p) : vec4(EXTENT_NONE);
}
