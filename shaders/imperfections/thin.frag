// r (bright) and g (dark): 1 where a thin feature (square-opening residual)
// clears the local structure threshold (a fraction of the defect threshold), else 0: the features whose connected extent the
// coarse level measures, defects and real thin structure (chain strands,
// engraving) alike. b: 1 where the luma is clipped (a glint's core), if
// glints are protected.
#include "chunks/texel"
#include "chunks/imperfections"
uniform sampler2D u_residual;
uniform vec2 u_residual_size;
uniform sampler2D u_activity;
uniform vec2 u_activity_size;
uniform float u_structureFraction;
uniform float u_floor;
uniform sampler2D u_luma;
uniform float u_glintGuard;

void main() {
  vec4 r = texelAt(u_residual, u_residual_size, currentTexel());
  // Hysteresis: structure is traced below the (short-feature) defect threshold (see plan.ts).
  float threshold = u_structureFraction * defectThreshold(bilinearCovering(u_activity, u_activity_size, u_residual_size).g, u_floor);
  vec2 thin = vec2(greaterThan(r.rg, vec2(threshold)));
  float clipped = u_glintGuard > 0.0 && texelAt(u_luma, u_residual_size, currentTexel()).r >= CLIPPED ? 1.0 : 0.0;
  gl_FragColor = vec4(thin, clipped, 1.0);
}
