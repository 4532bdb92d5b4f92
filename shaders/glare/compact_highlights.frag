// Keeps the highlights that are compact (hotspots) and drops those inside a
// large bright area: only the former make their neighbourhood "near glare".
// Without it, the rim of a large blown area (a sunlit wall that veil removal
// pulled below the threshold) was flattened to the darker tone beyond it.
#include "chunks/color"
#include "chunks/glare"

uniform sampler2D u_highlightMap; // (h * m, m, b * m, blown backdrop)
uniform sampler2D u_highlights;   // the same blurred at the surround radius
varying vec2 v_uv;

void main() {
  vec4 h = texture2D(u_highlightMap, v_uv);
  vec4 wide = texture2D(u_highlights, v_uv);
  // b carries the blown backdrop on to the reach's blur (glare/apply).
  gl_FragColor = vec4(glareMapHighlight(h, wide) * glareCompactness(wide), h.g, h.a, 1.0);
}
