// One step of geodesic growth of the skirt from the open backdrop: a pixel
// is reached when it is a seed (skirt_seed), or when it is skirt-like
// (smooth, faint, colourless change of the backdrop) and a reached neighbour
// in its 3x3 window differs from it by a small part of their contrast. A
// veil or shadow fades out smoothly, so the growth climbs it from the
// backdrop up to the piece's structure; the edge of smooth white metal is a
// step, which it does not climb, and smooth parts a piece encloses (a
// diamond's facets, a mirror face) are never reached.
uniform sampler2D u_reached; // r: reached (0/1), from the previous step
uniform sampler2D u_key;     // key_soft at this level: a = smoothed contrast where skirt-like, < 0 elsewhere
uniform sampler2D u_seed;    // r: skirt_seed at this level
uniform vec2 u_reached_size;
varying vec2 v_uv;

// Largest contrast step between neighbours, relative to the larger of the
// two, that the growth climbs, plus an absolute allowance for noise.
const float MAX_RELATIVE_STEP = 0.25;
const float STEP_ALLOWANCE = 0.01;

void main() {
  float level = texture2D(u_key, v_uv).a;
  float reached = step(0.5, texture2D(u_seed, v_uv).r);
  if (level >= 0.0) {
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++) {
        vec2 uv = v_uv + vec2(float(dx), float(dy)) / u_reached_size;
        float neighbour = texture2D(u_key, uv).a;
        if (neighbour >= 0.0 && abs(level - neighbour) <= MAX_RELATIVE_STEP * max(level, neighbour) + STEP_ALLOWANCE)
          reached = max(reached, texture2D(u_reached, uv).r);
      }
  }
  gl_FragColor = vec4(vec3(reached), 1.0);
}
