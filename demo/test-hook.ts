import type { BrowserEngine } from '../src/browser/engine.js';
import { FILE_ENCODING, type PixelBuffer, type PixelEncoding } from '../src/engine/engine.js';
import type { GraphSpec } from '../src/graph/types.js';
import type { PreviewSession, RenderInfo } from './preview.js';
import type { ShaderEditor } from './shader-editor.js';

/** Binary data crosses into puppeteer as base64 (JSON arrays of a megapixel are slow). */
export interface EncodedPixels {
  width: number;
  height: number;
  /** base64 of the raw bytes: Uint8 RGBA, or Float32 RGBA (little-endian) where stated. */
  base64: string;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export interface TestHookDeps {
  be: BrowserEngine;
  session: () => PreviewSession | null;
  /** Settles when the sample being rendered (if any) is on screen. */
  loading: () => Promise<void>;
  editor: ShaderEditor;
  presets: () => string[];
  openPixels: (pixels: PixelBuffer, name: string, graph?: GraphSpec) => void;
  errorText: () => string;
  /** The hint strokes as the PNG "Export hints" downloads. */
  hintsPng: () => Promise<Blob>;
}

/**
 * `window.loupeTest`: what the browser tests (test/browser/) and the latency
 * benchmark drive. Everything here goes through the same engine, session
 * and editor the UI uses; it only adds ways to read results back.
 */
export function installTestHook(d: TestHookDeps): void {
  const session = () => {
    const s = d.session();
    if (!s) throw new Error('no preview session (no image loaded, or the context is lost)');
    return s;
  };
  const hook = {
    passes: () => d.be.registry.list().map((p) => ({ type: p.type, inputs: p.inputs, outputs: p.outputs.map((o) => o.name) })),
    caps: () => ({ ...d.be.caps, report: d.be.capabilityReport() }),
    presets: d.presets,

    /**
     * Renders a graph in batch mode on 8-bit sRGB straight-alpha pixels
     * (the "source" external) and returns every output as Float32 pixels in
     * the given encoding: the same upload and readback the Node engine does.
     */
    renderGraph(graph: GraphSpec, source: EncodedPixels, encoding: PixelEncoding = FILE_ENCODING): Record<string, EncodedPixels> {
      const engine = d.be.engine;
      const runner = engine.runner(graph, 'none');
      try {
        runner.setExternal('source', engine.upload({ width: source.width, height: source.height, data: fromBase64(source.base64) }));
        const out: Record<string, EncodedPixels> = {};
        for (const [name, img] of runner.run()) {
          const px = engine.download(img, encoding, 'float32');
          out[name] = { width: px.width, height: px.height, base64: toBase64(bytesOf(px.data)) };
        }
        return out;
      } finally {
        runner.dispose();
      }
    },

    state: () => {
      const s = d.session();
      return {
        width: s?.width,
        height: s?.height,
        view: s?.view,
        views: s?.views.map((v) => v.output) ?? [],
        viewState: s?.viewState,
        log: s?.log.slice(-30) ?? [],
        error: d.errorText(),
        shaderError: document.querySelector('#shader-error')?.textContent ?? '',
        shaderErrorLine: Number(document.querySelector<HTMLElement>('#shader-gutter .error-line')?.dataset.line ?? 0),
        lost: d.be.lost,
        hintUploads: s ? { ...s.hintUploads } : undefined,
        hasHints: s?.hasHints,
      };
    },
    idle: async () => {
      await d.loading();
      await session().idle();
    },
    clearLog: () => void session().log.splice(0),
    sourcePixels: (): EncodedPixels => {
      const p = session().pixels;
      return { width: p.width, height: p.height, base64: toBase64(bytesOf(p.data)) };
    },
    exportGraph: () => session().exportGraph(),
    hintsPng: async () => toBase64(new Uint8Array(await (await d.hintsPng()).arrayBuffer())),
    /** A graph output (or "view:node:output") at full resolution, 8-bit sRGB straight alpha. */
    renderOutput: (output: string): EncodedPixels => {
      const p = session().renderFull(output);
      return { width: p.width, height: p.height, base64: toBase64(bytesOf(p.data)) };
    },
    exportPng: async () => toBase64(new Uint8Array(await (await session().exportPng()).arrayBuffer())),
    /** What the canvas shows, 8-bit RGBA, row 0 at the top. */
    canvasPixels: (): EncodedPixels => {
      const c = d.be.canvas as HTMLCanvasElement;
      const copy = new OffscreenCanvas(c.width, c.height);
      const ctx = copy.getContext('2d')!;
      ctx.drawImage(c, 0, 0);
      return { width: c.width, height: c.height, base64: toBase64(bytesOf(ctx.getImageData(0, 0, c.width, c.height).data)) };
    },
    /** Simulates a GPU reset through WEBGL_lose_context; resolves once the restored session rendered. */
    async loseAndRestoreContext(): Promise<void> {
      const ext = d.be.engine.gl.getExtension('WEBGL_lose_context');
      if (!ext) throw new Error('WEBGL_lose_context is not available');
      const restored = new Promise<void>((resolve) => {
        const off = d.be.onRestored(() => {
          off();
          resolve();
        });
      });
      ext.loseContext();
      await new Promise((r) => setTimeout(r, 50));
      ext.restoreContext();
      await restored;
      await session().idle();
    },
    /** Opens 8-bit sRGB pixels as if they were a dropped file, optionally under a given graph. */
    async openImage(source: EncodedPixels, graph?: GraphSpec): Promise<void> {
      d.openPixels({ width: source.width, height: source.height, data: fromBase64(source.base64) }, 'test-image', graph);
      await session().idle();
    },

    /**
     * Preview latency of one slider move through the real UI path (input
     * event -> next frame -> proxy run -> canvas; idle delay -> full run ->
     * canvas). Each time is taken after a 1-pixel readPixels of the canvas,
     * which waits for the GPU to finish.
     */
    async sliderLatency(node: string, param: string, value: number): Promise<{ proxyMs: number | null; fullMs: number; fullRenderMs: number; full: RenderInfo }> {
      const s = session();
      const gl = d.be.engine.gl;
      const finish = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      const slider = document.querySelector<HTMLInputElement>(`input[type=range][data-node="${node}"][data-param="${param}"]`);
      if (!slider) throw new Error(`no slider for ${node}.${param}`);
      let proxyMs: number | null = null;
      const t0 = performance.now();
      const full = await new Promise<RenderInfo>((resolve) => {
        const off = s.onRender((info) => {
          finish();
          if (info.kind === 'proxy' && proxyMs === null) proxyMs = performance.now() - t0;
          if (info.kind === 'full') {
            off();
            resolve(info);
          }
        });
        slider.value = String(value);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      });
      const done = performance.now();
      return { proxyMs, fullMs: done - t0, fullRenderMs: done - full.startedAt, full };
    },
  };
  (window as unknown as { loupeTest: typeof hook }).loupeTest = hook;
}
