// estimateNoise's cells (light/illumination.ts): each (sum, 0, 0, count),
// the cell's truncated mean of the relative local deviation and the share of
// its pixels that mean kept. Cells that kept no pixel do not count.
uniform sampler2D u_cells;
uniform vec2 u_cells_size;

const int NOISE_CELLS_MAX_SIDE = 64;  // estimateNoise's grid is at most NOISE_GRID (32) cells per side

// Over the cells that count: (how many, how many of them have an estimate
// in (from, to], the sum of those estimates). Estimates are >= 0, so a
// negative `from` takes every estimate up to `to`.
vec3 noiseCellsIn(float from, float to) {
  vec3 n = vec3(0.0);
  for (int y = 0; y < NOISE_CELLS_MAX_SIDE; y++) {
    if (float(y) >= u_cells_size.y) break;
    for (int x = 0; x < NOISE_CELLS_MAX_SIDE; x++) {
      if (float(x) >= u_cells_size.x) break;
      vec4 c = texture2D(u_cells, (vec2(x, y) + 0.5) / u_cells_size);
      float counts = step(1e-6, c.a);
      float e = c.r / max(c.a, 1e-6);
      float inRange = counts * step(e, to) * (1.0 - step(e, from));
      n += vec3(counts, inRange, inRange * e);
    }
  }
  return n;
}
