// estimateNoise's cells (light/illumination.ts): each (sum, 0, 0, count),
// the cell's truncated mean of the relative local deviation and the share of
// its pixels that mean kept. Cells that kept no pixel do not count.
uniform sampler2D u_cells;
uniform vec2 u_cells_size;

const int NOISE_CELLS_MAX_SIDE = 64;  // estimateNoise's grid is at most NOISE_GRID (32) cells per side

float noiseCellEstimate(int x, int y, out float counts) {
  vec4 c = texture2D(u_cells, (vec2(x, y) + 0.5) / u_cells_size);
  counts = step(1e-6, c.a);
  return c.r / max(c.a, 1e-6);
}
