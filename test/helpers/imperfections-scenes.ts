/**
 * Small synthetic scenes with known defects for the imperfection passes:
 * textured metal, a fine chain on a white backdrop, a faceted stone with
 * glints, a ring on a blown-out white backdrop, and specks and scratches
 * drawn over them with exact coverage masks.
 * Linear-light, opaque, deterministic (seeded).
 */
import { createImage, rng, type CpuImage } from '../../src/cpu/image.js';
import { gaussianBlurRef } from '../../src/cpu/reference.js';

export interface Defect {
  kind: 'speck' | 'scratch';
  /** Centre (texel coordinates, centre of texel i at i + 0.5). */
  x: number;
  y: number;
}

export interface Scene {
  clean: CpuImage;
  raw: CpuImage;
  /** Coverage of all defects, 0..1 in every colour channel, a = 1. */
  mask: CpuImage;
  defects: Defect[];
}

const grey = (w: number, h: number, f: (x: number, y: number) => number) =>
  createImage(w, h, (x, y) => {
    const v = f(x, y);
    return [v, v, v, 1];
  });

/** Polished metal with hammer marks (smooth bumps), brushed grain along x and sensor noise. */
export function texturedMetal(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  // Blurred on a larger canvas and cropped: a clamped border would repeat edge noise into strong bumps.
  const pad = 12;
  const bumps = gaussianBlurRef(grey(w + 2 * pad, h + 2 * pad, () => r() - 0.5), 3);
  const grainRows = Array.from({ length: h }, () => r() - 0.5);
  return grey(w, h, (x, y) => {
    const i = ((y + pad) * (w + 2 * pad) + x + pad) * 4;
    const shade = 0.35 + 0.15 * Math.sin((x + 2 * y) / 37);
    return shade + 0.6 * bumps.data[i] + 0.02 * grainRows[y] + 0.004 * (r() - 0.5);
  });
}

/** Distance from p to segment ab. */
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax, vy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy || 1)));
  return Math.hypot(px - ax - t * vx, py - ay - t * vy);
}

/** Coverage (0..1) of a stroke of half-width hw around a distance field, 4x4 supersampled. */
function coverage(w: number, h: number, dist: (x: number, y: number) => number, hw: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let n = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) if (dist(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4) <= hw) n++;
      out[y * w + x] = n / 16;
    }
  return out;
}

/**
 * A fine curb-like chain across a white backdrop: oval links 11 px long along
 * a gentle curve, alternately flat (outline seen) and edge-on (a bar), with
 * strands 1.6 px wide.
 */
export function chainOnBackdrop(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  const links: ((x: number, y: number) => number)[] = [];
  const pathY = (x: number) => h * 0.5 + h * 0.18 * Math.sin((x / w) * Math.PI * 1.3 + 0.4);
  const pitch = 8;
  for (let s = -10; s < w + 10; s += pitch) {
    const x0 = s, x1 = s + pitch;
    const y0 = pathY(x0), y1 = pathY(x1);
    const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    const ang = Math.atan2(y1 - y0, x1 - x0);
    const flat = Math.round(s / pitch) % 2 === 0;
    const a = 5.5, b = flat ? 3 : 0.01;
    links.push((x, y) => {
      const dx = x - cx, dy = y - cy;
      const u = dx * Math.cos(ang) + dy * Math.sin(ang);
      const v = -dx * Math.sin(ang) + dy * Math.cos(ang);
      if (!flat) return segmentDistance(u, v, -a, 0, a, 0);
      // Distance to an ellipse outline, first-order approximation.
      const k = Math.hypot(u / a, v / b);
      const g = Math.hypot(u / (a * a), v / (b * b));
      return Math.abs(k - 1) / (g || 1e-9) * k;
    });
  }
  const cov = coverage(w, h, (x, y) => Math.min(...links.map((f) => f(x, y))), 0.8);
  return grey(w, h, (x, y) => {
    const c = cov[y * w + x];
    const strand = 0.12 + 0.25 * (0.5 + 0.5 * Math.sin(x * 0.9 + y * 0.7));
    return 0.82 * (1 - c) + strand * c + 0.003 * (r() - 0.5);
  });
}

/** Mean of `shade` (of the position relative to (cx, cy)) over 4x4 samples of texel (x, y): anti-aliased edges. */
function supersample(x: number, y: number, cx: number, cy: number, shade: (px: number, py: number) => number): number {
  let acc = 0;
  for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) acc += shade(x + (sx + 0.5) / 4 - cx, y + (sy + 0.5) / 4 - cy);
  return acc / 16;
}

/** `v` brightened by clipped star glints (a core and two rays) centred at `glints`. */
function withGlints(v: number, x: number, y: number, glints: number[][]): number {
  for (const [gx, gy] of glints) {
    const dx = x + 0.5 - gx, dy = y + 0.5 - gy;
    const star = Math.exp(-(dx * dx + dy * dy) / 2) + 0.8 * Math.exp(-(dx * dx) / 0.5 - (dy * dy) / 40) + 0.8 * Math.exp(-(dy * dy) / 0.5 - (dx * dx) / 40);
    v = Math.max(v, Math.min(1, star * 1.5));
  }
  return v;
}

/**
 * A faceted stone: wedges around a centre with different flat shades and
 * anti-aliased edges, on a mid-grey backdrop, with two clipped star glints.
 */
export function facetedStone(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  const cx = w / 2, cy = h / 2, rad = Math.min(w, h) * 0.42;
  const facets = 12;
  const shades = Array.from({ length: facets }, () => 0.1 + 0.7 * r());
  const glints = [
    [cx + rad * 0.3, cy - rad * 0.25],
    [cx - rad * 0.45, cy + rad * 0.2],
  ];
  return createImage(w, h, (x, y) => {
    const v = supersample(x, y, cx, cy, (px, py) => {
      const d = Math.hypot(px, py);
      if (d > rad) return 0.3;
      if (d < rad * 0.35) return 0.9;
      return shades[Math.floor(((Math.atan2(py, px) + Math.PI) / (2 * Math.PI)) * facets) % facets];
    });
    const g = withGlints(v, x, y, glints);
    return [g, g, g, 1];
  });
}

/**
 * A white backdrop shot blown out (linear 1.0, as catalogue photographers
 * expose it), with a polished ring on it (an annulus shaded 0.35-0.65) that
 * carries two clipped star glints.
 */
export function ringOnBlownWhite(w: number, h: number, seed: number): CpuImage {
  const r = rng(seed);
  const cx = w / 2, cy = h / 2, outer = Math.min(w, h) * 0.3, inner = outer * 0.7;
  const glints = [0.6, 3.7].map((a) => [cx + 0.85 * outer * Math.cos(a), cy + 0.85 * outer * Math.sin(a)]);
  return createImage(w, h, (x, y) => {
    const v = supersample(x, y, cx, cy, (px, py) => {
      const d = Math.hypot(px, py);
      return d > outer || d < inner ? 1 : 0.5 + 0.15 * Math.sin(Math.atan2(py, px) * 2);
    });
    const g = withGlints(Math.min(1, v + 0.002 * (r() - 0.5)), x, y, glints);
    return [g, g, g, 1];
  });
}

/**
 * A mosaic of small flat facets, as a brilliant's pavilion looks at 1.5-7 MP:
 * a square grid of `facet` px cells, each split along a random diagonal into
 * two triangles, light (0.5-0.9) or, one in eight, dark (0.05-0.2), with 4x4
 * supersampled edges. A dark triangle among light ones is narrower than a 7x7
 * square for facet < 14 px, like a dust speck to a square closing, yet it is
 * detail.
 */
export function facetMosaic(w: number, h: number, seed: number, facet: number): CpuImage {
  const r = rng(seed);
  const [cols, rows] = [Math.ceil(w / facet), Math.ceil(h / facet)];
  const tone = () => (r() < 0.125 ? 0.05 + 0.15 * r() : 0.5 + 0.4 * r());
  const cells = Array.from({ length: cols * rows }, () => ({ flip: r() < 0.5, tones: [tone(), tone()] }));
  return createImage(w, h, (x, y) => {
    let acc = 0;
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const [px, py] = [(x + (sx + 0.5) / 4) / facet, (y + (sy + 0.5) / 4) / facet];
        const cell = cells[Math.min(rows - 1, Math.floor(py)) * cols + Math.min(cols - 1, Math.floor(px))];
        const [u, v] = [px % 1, py % 1];
        acc += cell.tones[(cell.flip ? u + v < 1 : u < v) ? 0 : 1];
      }
    const v = acc / 16;
    return [v, v, v, 1];
  });
}

export interface DefectOptions {
  specks: number;
  scratches: number;
  /** Speck diameters (px) are drawn uniformly from this range. */
  speckSize?: [number, number];
  scratchLength?: [number, number];
  /** Keep defects this far from the border. */
  margin?: number;
}

/**
 * Draws dust specks (discs, dark or bright lint) and thin scratches over a
 * clean image. A defect is darker than a bright background or brighter than
 * a dark one, with at least 0.15 linear contrast, and its coverage is the mask.
 */
export function addDefects(clean: CpuImage, seed: number, o: DefectOptions): Scene {
  const { width: w, height: h } = clean;
  const r = rng(seed);
  const [s0, s1] = o.speckSize ?? [1, 6];
  const [l0, l1] = o.scratchLength ?? [8, 30];
  const margin = o.margin ?? 12;
  const raw = { width: w, height: h, data: clean.data.slice() };
  const mask = grey(w, h, () => 0);
  const defects: Defect[] = [];
  const place = (kind: Defect['kind'], dist: (x: number, y: number) => number, hw: number, x: number, y: number) => {
    const bg = clean.data[(Math.floor(y) * w + Math.floor(x)) * 4];
    const colour = bg > 0.35 ? Math.max(0, bg - 0.15 - 0.4 * r()) : Math.min(1, bg + 0.15 + 0.4 * r());
    const cov = coverage(w, h, dist, hw);
    for (let i = 0; i < w * h; i++) {
      const c = cov[i];
      if (c === 0) continue;
      for (let ch = 0; ch < 3; ch++) raw.data[i * 4 + ch] = raw.data[i * 4 + ch] * (1 - c) + colour * c;
      const m = Math.max(mask.data[i * 4], c);
      mask.data.set([m, m, m, 1], i * 4);
    }
    defects.push({ kind, x, y });
  };
  const spot = () => [margin + r() * (w - 2 * margin), margin + r() * (h - 2 * margin)];
  for (let i = 0; i < o.specks; i++) {
    const [x, y] = spot();
    const d = s0 + r() * (s1 - s0);
    place('speck', (px, py) => Math.hypot(px - x, py - y), d / 2, x, y);
  }
  for (let i = 0; i < o.scratches; i++) {
    const [x, y] = spot();
    const len = l0 + r() * (l1 - l0);
    const a = r() * Math.PI;
    const dx = (Math.cos(a) * len) / 2, dy = (Math.sin(a) * len) / 2;
    place('scratch', (px, py) => segmentDistance(px, py, x - dx, y - dy, x + dx, y + dy), 0.5 + 0.3 * r(), x, y);
  }
  return { clean, raw, mask, defects };
}
