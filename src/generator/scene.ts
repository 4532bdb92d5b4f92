import { vec3 } from 'gl-matrix';
import { rng } from '../cpu/image.js';
import type { UniformValue } from '../gpu/renderer.js';
import type { Subject } from './types.js';

/** Must match CHAIN_POINTS in shaders/generator/scene.glsl. */
export const CHAIN_POINTS = 64;
/** Screen-space features (chain links, glints) are sized for this many rows. */
const REFERENCE_HEIGHT = 768;

/** Where the camera looks and which pieces lie where on the table (cm, z up). */
interface Layout {
  target: vec3;
  /** Visible table height at the target, cm. */
  frameHeight: number;
  ring?: { x: number; y: number; yaw: number };
  pendant?: { x: number; y: number; yaw: number };
  /** Chain centre line on the table, world points. */
  chain: vec3[];
}

export interface Camera {
  pos: vec3;
  right: vec3;
  up: vec3;
  fwd: vec3;
  tanHalfFov: number;
  width: number;
  height: number;
}

const CAMERA_ELEVATION = (50 * Math.PI) / 180;
const CAMERA_DISTANCE = 16;

export function makeCamera(target: vec3, frameHeight: number, width: number, height: number): Camera {
  const pos = vec3.fromValues(
    target[0],
    target[1] - CAMERA_DISTANCE * Math.cos(CAMERA_ELEVATION),
    target[2] + CAMERA_DISTANCE * Math.sin(CAMERA_ELEVATION),
  );
  const fwd = vec3.normalize(vec3.create(), vec3.sub(vec3.create(), target, pos));
  const right = vec3.normalize(vec3.create(), vec3.cross(vec3.create(), fwd, [0, 0, 1]));
  const up = vec3.cross(vec3.create(), right, fwd);
  return { pos, right, up, fwd, tanHalfFov: frameHeight / 2 / CAMERA_DISTANCE, width, height };
}

/** Pixel coordinates (x right, y down from the top row) of a world point; same maths as projectToPixels in scene.glsl. */
export function projectToPixels(cam: Camera, p: vec3): [number, number] {
  const d = vec3.sub(vec3.create(), p, cam.pos);
  const z = vec3.dot(d, cam.fwd);
  const aspect = cam.width / cam.height;
  const nx = vec3.dot(d, cam.right) / (z * cam.tanHalfFov) / aspect;
  const ny = vec3.dot(d, cam.up) / (z * cam.tanHalfFov);
  return [((nx + 1) / 2) * cam.width, ((1 - ny) / 2) * cam.height];
}

/** The bail of the pendant (scene.glsl: sdPendant), where its chain passes. */
function bailPoint(p: { x: number; y: number; yaw: number }): vec3 {
  const [bx, by] = [0, 0.84];
  const c = Math.cos(p.yaw);
  const s = Math.sin(p.yaw);
  return vec3.fromValues(p.x + c * bx - s * by, p.y + s * bx + c * by, 0.02);
}

/** A smooth path through control points (Catmull-Rom), sampled evenly in the parameter. */
function catmullRom(points: vec3[], samples: number): vec3[] {
  const out: vec3[] = [];
  const n = points.length - 1;
  for (let i = 0; i < samples; i++) {
    const u = (i / (samples - 1)) * n;
    const k = Math.min(Math.floor(u), n - 1);
    const t = u - k;
    const p0 = points[Math.max(k - 1, 0)];
    const p1 = points[k];
    const p2 = points[k + 1];
    const p3 = points[Math.min(k + 2, n)];
    const v = vec3.create();
    for (let c = 0; c < 3; c++) {
      v[c] =
        0.5 *
        (2 * p1[c] + (-p0[c] + p2[c]) * t + (2 * p0[c] - 5 * p1[c] + 4 * p2[c] - p3[c]) * t * t + (-p0[c] + 3 * p1[c] - 3 * p2[c] + p3[c]) * t * t * t);
    }
    out.push(v);
  }
  return out;
}

/** A necklace: two arms from the bail up and out of the frame, with a little seeded waviness. */
function necklace(bail: vec3, left: [number, number], right: [number, number], r: () => number): vec3[] {
  const arm = (end: [number, number]) => {
    const pts: vec3[] = [];
    for (let i = 1; i <= 4; i++) {
      const t = i / 4;
      const bow = Math.sin(Math.PI * t) * (0.25 + 0.3 * r());
      pts.push(vec3.fromValues(bail[0] + (end[0] - bail[0]) * t * t + bow * Math.sign(end[0] - bail[0]), bail[1] + (end[1] - bail[1]) * t, 0.02));
    }
    return pts;
  };
  const control = [...arm(left).reverse(), bail, ...arm(right)];
  return catmullRom(control, CHAIN_POINTS);
}

function layoutFor(subject: Subject, seed: number): Layout {
  const r = rng(seed ^ 0x5eed);
  const jitter = (amount: number) => (r() - 0.5) * 2 * amount;
  switch (subject) {
    case 'ring':
      return { target: vec3.fromValues(0, 0, 0.9), frameHeight: 3.2, ring: { x: 0, y: 0, yaw: 1.1 + jitter(0.25) }, chain: [] };
    case 'pendant': {
      const pendant = { x: 0, y: -0.5, yaw: jitter(0.25) };
      return { target: vec3.fromValues(0, 0, 0), frameHeight: 3.4, pendant, chain: necklace(bailPoint(pendant), [-1.3 + jitter(0.3), 4], [1.4 + jitter(0.3), 4], r) };
    }
    case 'chain': {
      const control: vec3[] = [];
      const phase = r() * Math.PI * 2;
      for (let i = 0; i <= 8; i++) {
        const x = -3.6 + 0.9 * i;
        control.push(vec3.fromValues(x, 1.1 * Math.sin(phase + i * 0.9) - 0.3 + jitter(0.2), 0.02));
      }
      return { target: vec3.fromValues(0, 0, 0), frameHeight: 4.5, chain: catmullRom(control, CHAIN_POINTS) };
    }
    case 'set': {
      const pendant = { x: 1.3 + jitter(0.2), y: -0.9 + jitter(0.2), yaw: 0.15 + jitter(0.25) };
      return {
        target: vec3.fromValues(0, -0.1, 0.4),
        frameHeight: 5.0,
        ring: { x: -1.5 + jitter(0.2), y: 0.4 + jitter(0.2), yaw: 1.1 + jitter(0.3) },
        pendant,
        chain: necklace(bailPoint(pendant), [0.2 + jitter(0.3), 5], [3.4 + jitter(0.3), 5], r),
      };
    }
  }
}

/** Chain strand width in pixels: about 1.8 px at 768 rows, always within 1-3 px (with the link modulation of +-15%). */
export function chainWidthPx(height: number): number {
  return Math.min(2.5, Math.max(1.3, 1.25 + 0.75 * (height / 1000)));
}

/** A per-seed offset for the GPU hashes, kept small so float32 hashing stays precise. */
export function seedOffset(seed: number): number {
  return (Math.abs(Math.imul(seed | 0, 2654435761)) % 9973) / 10;
}

/** A tile of the frame: top-left pixel and size. */
export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * World boxes holding each piece (any yaw), grown sideways by the reach of
 * its contact shadow. Sizes mirror scene.glsl: the ring is 0.885 cm in
 * radius and 2.05 cm tall with its diamond; the pendant reaches 0.97 cm
 * from its centre to the bail.
 */
const SHADOW_REACH = 0.65;
const RING_BOX = { halfWidth: 0.95 + SHADOW_REACH, top: 2.1 };
const PENDANT_BOX = { halfWidth: 1.0 + SHADOW_REACH, top: 0.3 };

/** The bounding box of pixel points grown by a margin, clipped to the frame. */
function pointsTile(cam: Camera, points: [number, number][], margin: number): Tile | undefined {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return clipTile(cam, Math.min(...xs) - margin, Math.min(...ys) - margin, Math.max(...xs) + margin, Math.max(...ys) + margin);
}

function clipTile(cam: Camera, x0: number, y0: number, x1: number, y1: number): Tile | undefined {
  const x = Math.max(0, Math.floor(x0));
  const y = Math.max(0, Math.floor(y0));
  const right = Math.min(cam.width, Math.ceil(x1));
  const bottom = Math.min(cam.height, Math.ceil(y1));
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : undefined;
}

/** The pixels a world box (centre x, y; half width; z from 0 to top) can touch, plus a margin for glint spikes, clipped to the frame. */
function boxTile(cam: Camera, cx: number, cy: number, box: { halfWidth: number; top: number }, margin: number): Tile | undefined {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const dx of [-1, 1]) for (const dy of [-1, 1]) for (const z of [0, box.top]) {
    const [px, py] = projectToPixels(cam, vec3.fromValues(cx + dx * box.halfWidth, cy + dy * box.halfWidth, z));
    [x0, y0, x1, y1] = [Math.min(x0, px), Math.min(y0, py), Math.max(x1, px), Math.max(y1, py)];
  }
  return clipTile(cam, x0 - margin, y0 - margin, x1 + margin, y1 + margin);
}

export interface ScenePlan {
  /** Uniforms of shaders/generator/scene.glsl. */
  uniforms: Record<string, UniformValue>;
  /** Where the chain, ring and pendant shaders must draw (absent: not in this subject, or out of frame). */
  chainTile?: Tile;
  ringTile?: Tile;
  pendantTile?: Tile;
}

export function planScene(subject: Subject, seed: number, width: number, height: number): ScenePlan {
  const layout = layoutFor(subject, seed);
  const cam = makeCamera(layout.target, layout.frameHeight, width, height);
  const chain = layout.chain.map((p) => projectToPixels(cam, p));
  const glintMargin = 12 * Math.max(height / REFERENCE_HEIGHT, 0.75) + 2;
  const { ring, pendant } = layout;
  const ringTile = ring && boxTile(cam, ring.x, ring.y, RING_BOX, glintMargin);
  const pendantTile = pendant && boxTile(cam, pendant.x, pendant.y, PENDANT_BOX, glintMargin);
  // The chain's shadow fades to exactly 1 (in float32) within 6 strand widths.
  const chainTile = chain.length > 1 ? pointsTile(cam, chain, 6 * chainWidthPx(height) + 2) : undefined;
  return { uniforms: sceneUniforms(layout, cam, chain, seed, height), chainTile, ringTile, pendantTile };
}

function sceneUniforms(layout: Layout, cam: Camera, chain: [number, number][], seed: number, height: number): Record<string, UniformValue> {
  return {
    u_frameSize: [cam.width, cam.height],
    u_camPos: Array.from(cam.pos),
    u_camRight: Array.from(cam.right),
    u_camUp: Array.from(cam.up),
    u_camFwd: Array.from(cam.fwd),
    u_tanHalfFov: cam.tanHalfFov,
    u_ringXY: layout.ring ? [layout.ring.x, layout.ring.y] : [0, 0],
    u_ringYaw: layout.ring?.yaw ?? 0,
    u_pendantXY: layout.pendant ? [layout.pendant.x, layout.pendant.y] : [0, 0],
    u_pendantYaw: layout.pendant?.yaw ?? 0,
    u_chainX: chain.map((p) => p[0]),
    u_chainY: chain.map((p) => p[1]),
    u_chainCount: chain.length,
    u_chainWidth: chainWidthPx(height),
    u_seedOffset: seedOffset(seed),
    u_pixelScale: height / REFERENCE_HEIGHT,
  };
}
