import type { PixelBuffer } from '../src/engine/engine.js';
import type { ViewState } from './preview.js';
import { hintsMismatch } from '../src/engine/hints.js';

/** Strokes for the key ("$hints"), or spots for imperfections.heal ("spots": heal or protect a disc). */
export type HintTool = 'off' | 'piece' | 'backdrop' | 'erase' | 'heal-spot' | 'protect-spot';

/** What the keyer reads (background.key, light.flatten "hints"): red = definitely piece, green = definitely backdrop. */
const STROKE_COLOURS: Record<'piece' | 'backdrop', string> = { piece: '#ff0000', backdrop: '#00ff00' };

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Side of the square tiles whose painted pixels are counted: a stroke
 * recounts only the tiles it touched, so an eraser stroke learns whether
 * anything is left without reading the whole layer back.
 */
const TILE = 32;

/** One stroke as drawn (image pixels), kept so that undo can redraw the others. */
interface Stroke {
  tool: 'piece' | 'backdrop' | 'erase';
  radius: number;
  points: Array<{ x: number; y: number }>;
}

/**
 * What changed on the hint layer: the whole layer (after the first stroke,
 * undo, opening or clearing hints; null once nothing is painted, e.g. after
 * erasing the last stroke), or only the tiles a later stroke painted or
 * erased over (a rectangle at (x, y) from the top left), so that a stroke on
 * a 24 MP photo reads back and uploads only the pixels around it.
 */
export type HintChange = { hints: PixelBuffer | null } | { region: { x: number; y: number; pixels: PixelBuffer } };

/**
 * The user's hint strokes, painted at the image's resolution on a canvas
 * laid over the viewer (shown half transparent, moved with zoom and pan).
 * A stroke ends on pointer-up; then `onStroke` hands what changed on as the
 * graph's "$hints". The strokes are kept as lines, so undo redraws all but
 * the last.
 */
export class HintPainter {
  tool: HintTool = 'off';
  /** Brush radius in CSS pixels on screen, whatever the zoom. */
  brushRadius = 12;
  onStroke: (change: HintChange) => void = () => {};
  readonly layer: HTMLCanvasElement;
  /** The heal step's manual spots as circles, shown while a spot tool is selected. */
  readonly spotLayer: SVGSVGElement;
  private readonly ctx: CanvasRenderingContext2D;
  /** Whether any pixel is painted: an empty layer must not count as hints (they switch off the key's whole-frame check). */
  private painted = false;
  /** Painted (not fully transparent) pixels per TILE x TILE tile, row by row. */
  private tileCounts = new Uint32Array(1);
  private tilesAcross = 1;
  private strokes: Stroke[] = [];
  /** Hints opened from a file: the strokes are painted over them, and undo stops at them. */
  private base: ImageBitmap | null = null;

  constructor(
    private readonly view: HTMLCanvasElement,
    private readonly imageView: () => { width: number; height: number; viewState: ViewState; zoom: number } | null,
  ) {
    this.layer = document.createElement('canvas');
    this.layer.id = 'hint-layer';
    this.layer.width = this.layer.height = 1;
    view.insertAdjacentElement('afterend', this.layer);
    this.ctx = this.layer.getContext('2d', { willReadFrequently: true })!;
    this.spotLayer = document.createElementNS(SVG_NS, 'svg');
    this.spotLayer.id = 'spot-layer';
    this.layer.insertAdjacentElement('afterend', this.spotLayer);
  }

  /** True while a painting tool is selected: the viewer then paints instead of panning. */
  get active(): boolean {
    return this.tool !== 'off';
  }

  /** True while a stroke tool (not a spot tool) is selected: the strokes are shown. */
  get painting(): boolean {
    return this.tool === 'piece' || this.tool === 'backdrop' || this.tool === 'erase';
  }

  /** Draws the heal step's spots ([x, y, radius, mode] in image pixels; mode 1 heal, 0 protect). */
  showSpots(spots: number[][]): void {
    this.spotLayer.replaceChildren(
      ...spots.map(([x, y, r, mode]) => {
        const c = document.createElementNS(SVG_NS, 'circle');
        c.setAttribute('cx', String(x));
        c.setAttribute('cy', String(y));
        c.setAttribute('r', String(r));
        c.setAttribute('class', mode === 1 ? 'heal' : 'protect');
        return c;
      }),
    );
  }

  /** The image point under the pointer (full-resolution pixels) and the brush radius there. */
  imagePoint(e: PointerEvent): { x: number; y: number; radius: number } | null {
    const v = this.imageView();
    if (!v) return null;
    const dpr = devicePixelRatio;
    const rect = this.view.getBoundingClientRect();
    return {
      x: v.viewState.center[0] * v.width + ((e.clientX - rect.left) * dpr - this.view.width / 2) / v.zoom,
      y: v.viewState.center[1] * v.height + ((e.clientY - rect.top) * dpr - this.view.height / 2) / v.zoom,
      radius: (this.brushRadius * dpr) / v.zoom,
    };
  }

  /** Starts over, empty, on a new image of this size. */
  reset(width: number, height: number): void {
    this.dropBase();
    this.layer.width = width;
    this.layer.height = height;
    this.spotLayer.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.spotLayer.setAttribute('width', String(width));
    this.spotLayer.setAttribute('height', String(height));
    this.tilesAcross = Math.ceil(width / TILE);
    this.tileCounts = new Uint32Array(this.tilesAcross * Math.ceil(height / TILE));
    this.painted = false;
    this.strokes = [];
  }

  clear(): void {
    this.dropBase();
    this.ctx.clearRect(0, 0, this.layer.width, this.layer.height);
    this.tileCounts.fill(0);
    this.painted = false;
    this.strokes = [];
    this.onStroke({ hints: null });
  }

  /** Replaces the strokes by hints from a file (what Export hints or `--hints` take), resized to the image. */
  load(hints: ImageBitmap): void {
    const mismatch = hintsMismatch(hints, this.layer);
    if (mismatch) {
      hints.close();
      throw new Error(mismatch);
    }
    this.dropBase();
    this.base = hints;
    this.strokes = [];
    this.redraw();
    this.onStroke({ hints: this.pixels() });
  }

  /** Takes the last stroke back; false when there is none. */
  undo(): boolean {
    if (!this.strokes.pop()) return false;
    this.redraw();
    this.onStroke({ hints: this.pixels() });
    return true;
  }

  /** Draws the opened hints and the strokes again. */
  private redraw(): void {
    const ctx = this.ctx;
    ctx.globalCompositeOperation = 'source-over';
    ctx.clearRect(0, 0, this.layer.width, this.layer.height);
    if (this.base) {
      // Hard-edged, as painted: a smoothed edge would leave half-red pixels that are neither hint.
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(this.base, 0, 0, this.layer.width, this.layer.height);
    }
    for (const s of this.strokes) {
      this.begin(s);
      for (let i = 1; i < s.points.length; i++) this.segment(s.points[i - 1], s.points[i]);
    }
    this.recount({ x: 0, y: 0, pixels: this.readLayer(0, 0, this.layer.width, this.layer.height) });
  }

  private dropBase(): void {
    this.base?.close();
    this.base = null;
  }

  /** The strokes as 8-bit sRGB straight-alpha pixels, or null when there are none. */
  pixels(): PixelBuffer | null {
    return this.painted ? this.readLayer(0, 0, this.layer.width, this.layer.height) : null;
  }

  private readLayer(x: number, y: number, width: number, height: number): PixelBuffer {
    return { width, height, data: new Uint8Array(this.ctx.getImageData(x, y, width, height).data.buffer) };
  }

  /** The tiles under a stroke: its points' bounding box, grown by the brush and a pixel of antialiasing, out to whole tiles. */
  private region(s: Stroke): { x: number; y: number; pixels: PixelBuffer } {
    const xs = s.points.map((p) => p.x);
    const ys = s.points.map((p) => p.y);
    const { width, height } = this.layer;
    const tileStart = (v: number, size: number) => Math.floor(Math.min(size - 1, Math.max(0, v)) / TILE) * TILE;
    const tileEnd = (v: number, size: number) => Math.min(size, Math.max(1, Math.ceil(v / TILE)) * TILE);
    const x0 = tileStart(Math.min(...xs) - s.radius - 1, width);
    const y0 = tileStart(Math.min(...ys) - s.radius - 1, height);
    const x1 = Math.max(x0 + 1, tileEnd(Math.max(...xs) + s.radius + 1, width));
    const y1 = Math.max(y0 + 1, tileEnd(Math.max(...ys) + s.radius + 1, height));
    return { x: x0, y: y0, pixels: this.readLayer(x0, y0, x1 - x0, y1 - y0) };
  }

  /** Counts the painted pixels of the whole tiles in a tile-aligned region of the layer, and whether any are left anywhere. */
  private recount({ x, y, pixels }: { x: number; y: number; pixels: PixelBuffer }): void {
    const { width, height, data } = pixels;
    const tile = (px: number, py: number) => Math.floor((y + py) / TILE) * this.tilesAcross + Math.floor((x + px) / TILE);
    for (let py = 0; py < height; py += TILE) for (let px = 0; px < width; px += TILE) this.tileCounts[tile(px, py)] = 0;
    for (let py = 0; py < height; py++)
      for (let px = 0; px < width; px++) if (data[(py * width + px) * 4 + 3] !== 0) this.tileCounts[tile(px, py)]++;
    this.painted = this.tileCounts.some((n) => n > 0);
  }

  /** The strokes as a PNG (transparent where unpainted), for `loupe retouch --hints`. */
  toBlob(): Promise<Blob> {
    return new Promise((resolve, reject) => this.layer.toBlob((b) => (b ? resolve(b) : reject(new Error('the hints could not be encoded'))), 'image/png'));
  }

  /** Lays the strokes over the image as the viewer shows it (see shaders/display/view.frag). */
  place(): void {
    const v = this.imageView();
    this.layer.hidden = !v || !this.painting;
    this.spotLayer.style.display = v && this.active && !this.painting ? '' : 'none';
    if (!v) return;
    const dpr = devicePixelRatio;
    const [cx, cy] = v.viewState.center;
    const left = this.view.offsetLeft + (this.view.width / 2 - cx * v.width * v.zoom) / dpr;
    const top = this.view.offsetTop + (this.view.height / 2 - cy * v.height * v.zoom) / dpr;
    this.layer.style.transform = this.spotLayer.style.transform = `translate(${left}px, ${top}px) scale(${v.zoom / dpr})`;
    // Circles drawn 1.5 screen pixels wide whatever the zoom (the transform scales image pixels).
    const screenPixel = dpr / v.zoom;
    this.spotLayer.style.strokeWidth = String(1.5 * screenPixel);
    this.spotLayer.style.setProperty('--dash', `${4 * screenPixel} ${3 * screenPixel}`);
  }

  /** Paints one stroke from a pointer-down on the viewer canvas until pointer-up. */
  stroke(down: PointerEvent): void {
    const tool = this.tool;
    const start = this.imagePoint(down);
    if (!start || !(tool === 'piece' || tool === 'backdrop' || tool === 'erase')) return;
    this.view.setPointerCapture(down.pointerId);
    const stroke: Stroke = { tool, radius: start.radius, points: [{ x: start.x, y: start.y }] };
    this.strokes.push(stroke);
    this.begin(stroke);
    const paintedBefore = this.painted;
    const move = (m: PointerEvent) => {
      const p = this.imagePoint(m)!;
      this.segment(stroke.points.at(-1)!, p);
      stroke.points.push({ x: p.x, y: p.y });
    };
    const up = () => {
      this.view.removeEventListener('pointermove', move);
      this.view.removeEventListener('pointerup', up);
      const region = this.region(stroke);
      this.recount(region);
      // Over hints already there only the stroke's tiles change; the first stroke hands the
      // whole layer on, and so does an eraser that leaves nothing (null: no hints).
      this.onStroke(paintedBefore && this.painted ? { region } : { hints: this.pixels() });
    };
    this.view.addEventListener('pointermove', move);
    this.view.addEventListener('pointerup', up);
  }

  /** Sets the brush for a stroke and dabs its first point. */
  private begin(s: Stroke): void {
    const ctx = this.ctx;
    ctx.globalCompositeOperation = s.tool === 'erase' ? 'destination-out' : 'source-over';
    ctx.strokeStyle = ctx.fillStyle = s.tool === 'erase' ? '#000' : STROKE_COLOURS[s.tool];
    ctx.lineWidth = 2 * s.radius;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.arc(s.points[0].x, s.points[0].y, s.radius, 0, 2 * Math.PI);
    ctx.fill();
  }

  private segment(from: { x: number; y: number }, to: { x: number; y: number }): void {
    this.ctx.beginPath();
    this.ctx.moveTo(from.x, from.y);
    this.ctx.lineTo(to.x, to.y);
    this.ctx.stroke();
  }
}
