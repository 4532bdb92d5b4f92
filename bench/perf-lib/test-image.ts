/**
 * A procedural stand-in for a raw jewelry shot, generated straight into an
 * 8-bit sRGB RGBA buffer (what Engine.upload takes from a decoded file): a
 * vignetted backdrop with a gradient, metal discs and rings with fine
 * engraving, clipped highlights, sensor noise and sparse dust specks.
 * Content scales with the image, so every size shows the same scene.
 *
 * Cheap at 24 MP: one pass over the pixels with per-row/per-column
 * trigonometry tables and an integer PRNG, no float64 image copies.
 */

interface Piece {
  /** Centre and radii relative to the image height. */
  cx: number;
  cy: number;
  outer: number;
  inner: number;
  metal: [number, number, number];
}

const PIECES: Piece[] = [
  { cx: 0.45, cy: 0.5, outer: 0.3, inner: 0.2, metal: [0.93, 0.75, 0.38] }, // gold ring
  { cx: 1.05, cy: 0.42, outer: 0.16, inner: 0, metal: [0.85, 0.86, 0.88] }, // silver pendant
  { cx: 1.25, cy: 0.75, outer: 0.09, inner: 0.05, metal: [0.9, 0.9, 0.92] }, // small platinum ring
];

/** Period of the engraving pattern in pixels (fixed in pixels: it is texture, not layout). */
const ENGRAVING_PERIOD_PX = 7;
const NOISE_AMPLITUDE = 6; // 8-bit levels, peak; sum of two uniforms gives a triangular distribution
const SPECK_PROBABILITY = 2e-4;

export function makeTestImage(width: number, height: number, seed = 1): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const scale = height;
  const sinX = new Float32Array(width);
  const sinY = new Float32Array(height);
  for (let x = 0; x < width; x++) sinX[x] = Math.sin((2 * Math.PI * x) / ENGRAVING_PERIOD_PX);
  for (let y = 0; y < height; y++) sinY[y] = Math.sin((2 * Math.PI * y) / (ENGRAVING_PERIOD_PX * 1.7));
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: fast and deterministic.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  const cxImage = width / 2;
  const cyImage = height / 2;
  const maxR2 = cxImage * cxImage + cyImage * cyImage;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Backdrop: light grey, gradient left to right, vignette towards the corners.
      const dx = x - cxImage;
      const dy = y - cyImage;
      const vignette = 1 - 0.35 * ((dx * dx + dy * dy) / maxR2);
      let r = (0.78 + 0.12 * (x / width)) * vignette;
      let g = r;
      let b = r * 1.02;
      for (const p of PIECES) {
        const px = (x - p.cx * scale) / (p.outer * scale);
        const py = (y - p.cy * scale) / (p.outer * scale);
        const d = Math.sqrt(px * px + py * py);
        const inner = p.inner / p.outer;
        if (d < 1 && d >= inner) {
          // Metal: shading across the band, engraving texture, a clipped specular streak.
          const t = inner < 1 ? (d - inner) / (1 - inner) : d;
          const shade = 0.35 + 0.65 * Math.sin(Math.PI * t) * (0.6 + 0.4 * py);
          const engraving = 0.08 * sinX[x] * sinY[y];
          const specular = Math.max(0, 1 - Math.abs(px + py - 0.3) * 12);
          const level = shade + engraving + 1.5 * specular;
          r = p.metal[0] * level;
          g = p.metal[1] * level;
          b = p.metal[2] * level;
        }
      }
      const noise = (next() + next() - 1) * NOISE_AMPLITUDE;
      const speck = next() < SPECK_PROBABILITY ? (next() < 0.5 ? -120 : 120) : 0;
      const i = (y * width + x) * 4;
      out[i] = clampByte(r * 255 + noise + speck);
      out[i + 1] = clampByte(g * 255 + noise + speck);
      out[i + 2] = clampByte(b * 255 + noise + speck);
      out[i + 3] = 255;
    }
  }
  return out;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}
