import type { PreviewSession } from './preview.js';

const MIN_ZOOM = 1 / 64;
const MAX_ZOOM = 32;

/**
 * Mouse and keyboard on the canvas: wheel zooms about the cursor, drag pans,
 * double-click toggles fit / 100 %. Zoom is device pixels per image pixel.
 */
export class ViewerControls {
  session: PreviewSession | null = null;
  onChange: () => void = () => {};
  /** While it returns true a drag is a paint stroke (demo/hints.ts) it has taken, not a pan. */
  paint: (down: PointerEvent) => boolean = () => false;

  constructor(private readonly canvas: HTMLCanvasElement) {
    canvas.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    canvas.addEventListener('pointerdown', (e) => this.drag(e));
    canvas.addEventListener('dblclick', () => this.setZoom(this.session?.viewState.zoom === null ? 1 : null));
  }

  /** The zoom actually shown (fit resolves to a number). */
  effectiveZoom(): number {
    const s = this.session;
    if (!s) return 1;
    return s.viewState.zoom ?? Math.min(this.canvas.width / s.width, this.canvas.height / s.height);
  }

  /** null fits the image to the canvas and centres it. */
  setZoom(zoom: number | null): void {
    const s = this.session;
    if (!s) return;
    s.viewState.zoom = zoom === null ? null : Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    if (zoom === null) s.viewState.center = [0.5, 0.5];
    this.changed();
  }

  private changed(): void {
    this.session?.redisplay();
    this.onChange();
  }

  private wheel(e: WheelEvent): void {
    const s = this.session;
    if (!s) return;
    e.preventDefault();
    const dpr = devicePixelRatio;
    const z0 = this.effectiveZoom();
    const z1 = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z0 * Math.exp(-e.deltaY * 0.002)));
    // Keep the image point under the cursor fixed.
    const rect = this.canvas.getBoundingClientRect();
    const dx = (e.clientX - rect.left) * dpr - this.canvas.width / 2;
    const dy = (e.clientY - rect.top) * dpr - this.canvas.height / 2;
    const [cx, cy] = s.viewState.center;
    s.viewState.center = [cx + dx / (z0 * s.width) - dx / (z1 * s.width), cy + dy / (z0 * s.height) - dy / (z1 * s.height)];
    s.viewState.zoom = z1;
    this.changed();
  }

  private drag(e: PointerEvent): void {
    const s = this.session;
    if (!s || e.button !== 0 || this.paint(e)) return;
    this.canvas.setPointerCapture(e.pointerId);
    this.canvas.classList.add('panning');
    let last = [e.clientX, e.clientY];
    const move = (m: PointerEvent) => {
      const z = this.effectiveZoom();
      const dpr = devicePixelRatio;
      const [cx, cy] = s.viewState.center;
      s.viewState.center = [cx - ((m.clientX - last[0]) * dpr) / (z * s.width), cy - ((m.clientY - last[1]) * dpr) / (z * s.height)];
      if (s.viewState.zoom === null) s.viewState.zoom = z;
      last = [m.clientX, m.clientY];
      this.changed();
    };
    const up = () => {
      this.canvas.classList.remove('panning');
      this.canvas.removeEventListener('pointermove', move);
      this.canvas.removeEventListener('pointerup', up);
    };
    this.canvas.addEventListener('pointermove', move);
    this.canvas.addEventListener('pointerup', up);
  }
}
