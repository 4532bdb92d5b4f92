// One step of geodesic growth of the skirt from the open backdrop: a pixel
// is reached when it is a seed (skirt_seed), or when it is skirt-like
// (smooth, faint, colourless change of the backdrop) and a reached neighbour
// in its 3x3 window differs from it by a small part of their contrast. A
// veil or shadow fades out smoothly, so the growth climbs it from the
// backdrop up to the piece's structure; the edge of smooth white metal is a
// step, which it does not climb, and smooth parts a piece encloses (a
// diamond's facets, a mirror face) are never reached. Darkening beyond
// shadowMax (a deep shadow's core next to the piece) is only entered on a
// path through evidence of a cast shadow (skirt_seed g): smooth dark metal
// whose reflections meet the backdrop's brightness somewhere is not followed
// into its dark bands. Output: r = reached, g = reached through shadow evidence.
#include "chunks/backdrop"

uniform sampler2D u_reached; // r: reached (0/1), g: through shadow evidence, from the previous step
uniform sampler2D u_key;     // key_soft at this level: a = smoothed contrast where skirt-like, < 0 elsewhere
uniform sampler2D u_seed;    // r: skirt_seed, g: shadow evidence, at this level
uniform sampler2D u_backdrop;
uniform vec2 u_reached_size;
uniform float u_shadowMax;
varying vec2 v_uv;

#define DEEP_SKIRT 0.9 // as in key_soft

// Largest contrast step between neighbours, relative to the larger of the
// two, that the growth climbs, plus an absolute allowance for noise. Deep in
// a shadow the step is relative to the light left instead (the contrast of
// black minus the smaller contrast): a constant ratio of light, so a dark
// piece's edge inside the shadow's core stays a step.
const float MAX_RELATIVE_STEP = 0.25;
const float STEP_ALLOWANCE = 0.01;
// u_seed was averaged down from full resolution, so a texel that seeds cover
// half of sits exactly at 0.5 (common along straight edges), and GPUs round
// that either way: llvmpipe's sampling mixes in ~1e-6 of a neighbour. "At
// least half" is decided with a slack far above such rounding and below the
// 1/64 step between the first level's values.
const float SEED_SLACK = 1e-3;

void main() {
  float level = texture2D(u_key, v_uv).a;
  vec2 seed = step(0.5 - SEED_SLACK, texture2D(u_seed, v_uv).rg);
  float reached = seed.r;
  float viaShadow = seed.r * seed.g;
  if (level >= 0.0) {
    // Contrast of black on this backdrop: a colourless change's contrast is
    // its darkening (or brightening) times this.
    vec3 b = texture2D(u_backdrop, v_uv).rgb;
    float black = length(b) / backdropScale(b);
    bool deep = level > DEEP_SKIRT * u_shadowMax * black;
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) {
        vec2 uv = v_uv + vec2(float(dx), float(dy)) / u_reached_size;
        float neighbour = texture2D(u_key, uv).a;
        vec2 from = step(0.5, texture2D(u_reached, uv).rg);
        float limit = MAX_RELATIVE_STEP * min(max(level, neighbour), black - min(level, neighbour)) + STEP_ALLOWANCE;
        if (neighbour >= 0.0 && abs(level - neighbour) <= limit && (!deep || from.g > 0.5)) {
          reached = max(reached, from.r);
          viaShadow = max(viaShadow, from.g);
        }
      }
    viaShadow = max(viaShadow, reached * seed.g);
  }
  gl_FragColor = vec4(reached, viaShadow, reached, 1.0);
}
