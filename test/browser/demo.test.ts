import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, ElementHandle, Page } from 'puppeteer';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import type { GraphSpec } from '../../src/graph/types.js';
import { startDemoServer, type DemoServer } from './helpers/demo-server.js';
import { decodeBase64, encodeBase64, launchChromium, openDemo } from './helpers/chromium.js';
import { parityImage } from './helpers/images.js';
import { canvasShot, fittedImageRegion, type CanvasShot, maxDifference, meanChroma, meanGradient, meanLuma, type Region } from './helpers/canvas.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = join(REPO, 'test-artifacts', 'browser');

interface RenderInfo {
  kind: 'proxy' | 'full';
  scale: number;
  view: string;
  stats: { nodesRun: string[]; nodesReused: string[]; draws: number; milliseconds: number };
}
interface DemoState {
  width: number;
  height: number;
  view: string;
  views: string[];
  viewState: { zoom: number | null; center: [number, number]; split: number | null };
  log: RenderInfo[];
  error: string;
  shaderError: string;
  shaderErrorLine: number;
  lost: boolean;
  hintUploads: { whole: number; regions: number; pixels: number };
  hasHints: boolean;
}

/**
 * The demo in headless Chromium on the quick sample (1024x768) with the
 * built-in core graph (tone -> soften -> glow), driven through its real
 * controls. Canvas checks are properties that fail when the feature is
 * broken (brighter after +EV, grey after saturation 0, blurrier on the blur
 * node's view...), measured on what the canvas shows.
 */
describe('demo app in headless Chromium', () => {
  let server: DemoServer;
  let browser: Browser;
  let page: Page;

  const state = () => page.evaluate(() => (window as any).loupeTest.state()) as Promise<DemoState>;
  const idle = () => page.evaluate(() => (window as any).loupeTest.idle());
  const clearLog = () => page.evaluate(() => (window as any).loupeTest.clearLog());
  /** The middle of the picture at fit zoom (the canvas narrows when the shader editor opens). */
  const imageRegion = (shot: CanvasShot) => fittedImageRegion(shot, 1024, 768);
  const luma = (shot: CanvasShot) => meanLuma(shot, imageRegion(shot));
  const chroma = (shot: CanvasShot) => meanChroma(shot, imageRegion(shot));
  const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, name) as `${string}.png` });

  /** Moves a slider like a hand: several input events 40 ms apart (faster than the refine delay), then waits for the full render. */
  async function drag(node: string, param: string, values: number[]): Promise<void> {
    await page.evaluate(
      async (node, param, values) => {
        const slider = document.querySelector<HTMLInputElement>(`input[type=range][data-node="${node}"][data-param="${param}"]`)!;
        for (const v of values) {
          slider.value = String(v);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          await new Promise((r) => setTimeout(r, 40));
        }
      },
      node,
      param,
      values,
    );
    await idle();
  }

  /** A W x H 8-bit image of `outside` grey with discs [x, y, radius] of `inside` grey. */
  function discImage(W: number, H: number, discs: number[][], inside: number[], outside: number[]): Uint8Array {
    const img = new Uint8Array(W * H * 4);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) img.set([...(discs.some(([cx, cy, r]) => Math.hypot(x - cx, y - cy) < r) ? inside : outside), 255], (y * W + x) * 4);
    return img;
  }
  /** Red channel of a graph output (or "view:node:output") at image point (x, y), 8-bit sRGB. */
  async function outputAt(output: string, x: number, y: number): Promise<number> {
    const out = (await page.evaluate((o) => (window as any).loupeTest.renderOutput(o), output)) as { width: number; base64: string };
    return decodeBase64<Uint8Array>(out.base64, 'uint8')[(y * out.width + x) * 4];
  }
  /**
   * Selects a mark tool with a brush of at least `radius` image pixels and
   * returns the page coordinates of image points of the W x H picture at fit zoom.
   */
  async function markTool(tool: string, W: number, H: number, radius: number, points: number[][]): Promise<number[][]> {
    await page.select('#hint-tool', tool);
    return page.evaluate(
      (W, H, radius, points) => {
        const c = document.querySelector<HTMLCanvasElement>('#view')!;
        const r = c.getBoundingClientRect();
        const zoom = Math.min(c.width / W, c.height / H);
        const size = document.querySelector<HTMLInputElement>('#hint-size')!;
        size.value = String(Math.ceil((radius * zoom) / devicePixelRatio));
        size.dispatchEvent(new Event('input', { bubbles: true }));
        return points.map(([x, y]) => [r.left + (c.width / 2 + (x - W / 2) * zoom) / devicePixelRatio, r.top + (c.height / 2 + (y - H / 2) * zoom) / devicePixelRatio]);
      },
      W, H, radius, points,
    );
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startDemoServer();
    browser = await launchChromium();
    page = await openDemo(browser, `${server.url}?preset=core&sample=quick`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens on the sample, previews at proxy scale first, then refines to full resolution', async () => {
    const s = await state();
    expect([s.width, s.height]).toEqual([1024, 768]);
    expect(s.error).toBe('');
    expect(s.log[0].kind).toBe('proxy');
    expect(s.log[0].scale).toBe(0.5);
    expect(s.log.at(-1)!.kind).toBe('full');
    expect(s.log.at(-1)!.stats.nodesRun).toEqual(['tone', 'soften', 'glow']);
    await screenshot('demo-start.png');
  });

  it('views any node output: the blur node looks blurred, the source view shows the unretouched source', async () => {
    const s = await state();
    expect(s.views).toEqual(expect.arrayContaining(['result', 'view:$source', 'view:tone:out', 'view:soften:out', 'view:glow:out']));
    const result = await canvasShot(page);
    await page.select('#view-select', 'view:soften:out');
    await idle();
    expect((await state()).view).toBe('view:soften:out');
    const blurred = await canvasShot(page);
    await page.select('#view-select', 'view:$source');
    await idle();
    const source = await canvasShot(page);
    // sigma 12 px removes the pixel-to-pixel contrast (noise, dust, edges) the source has.
    expect(meanGradient(blurred, imageRegion(blurred))).toBeLessThan(meanGradient(source, imageRegion(source)) / 3);
    // The glow (a blur added in linear light) brightens the source.
    expect(meanLuma(result, imageRegion(result))).toBeGreaterThan(meanLuma(source, imageRegion(source)) + 1);
    await page.select('#view-select', 'result');
    await idle();
    expect(maxDifference(result, await canvasShot(page))).toBe(0);
  });

  it('a slider drag renders proxies while moving, one full render when it stops, and the canvas brightens', async () => {
    const before = await canvasShot(page);
    await clearLog();
    await drag('tone', 'exposure', [0.25, 0.5, 0.75, 1]);
    const { log } = await state();
    const proxies = log.filter((r) => r.kind === 'proxy');
    expect(proxies.length).toBeGreaterThanOrEqual(1);
    expect(proxies.every((r) => r.scale === 0.5)).toBe(true);
    // Refinement happens once, after the hand stopped, and re-runs all three nodes (tone is first).
    expect(log.filter((r) => r.kind === 'full')).toHaveLength(1);
    expect(log.at(-1)!.kind).toBe('full');
    expect(log.at(-1)!.stats.nodesRun).toEqual(['tone', 'soften', 'glow']);
    const after = await canvasShot(page);
    // +1 EV: every unclipped pixel at least doubles in linear light; 8 sRGB levels is far below that.
    expect(luma(after)).toBeGreaterThan(luma(before) + 8);
  });

  it('changing the last node re-renders only that node, in the proxy and in the full render', async () => {
    await clearLog();
    await drag('glow', 'weightB', [0.4, 0.6]);
    const { log } = await state();
    for (const r of log) {
      expect(r.stats.nodesRun).toEqual(['glow']);
      expect(r.stats.nodesReused).toEqual(['tone', 'soften']);
    }
    expect(log.at(-1)!.kind).toBe('full');
  });

  it('saturation 0 turns the picture grey; the before/after split shows the colour source on the left', async () => {
    const colourful = chroma(await canvasShot(page));
    await drag('tone', 'saturation', [0.5, 0]);
    const grey = await canvasShot(page);
    expect(colourful).toBeGreaterThan(8);
    // Grey in linear light stays grey through sRGB encoding; 1 level of rounding.
    expect(chroma(grey)).toBeLessThan(1);

    await page.click('#split-on');
    const split = await canvasShot(page);
    const mid = Math.round(split.width / 2);
    const region = imageRegion(split);
    const left: Region = { ...region, x1: Math.min(region.x1, mid - 4) };
    const right: Region = { ...region, x0: Math.max(region.x0, mid + 4) };
    expect(meanChroma(split, left)).toBeGreaterThan(8);
    expect(meanChroma(split, right)).toBeLessThan(1);
    await screenshot('demo-split.png');
    await page.click('#split-on');
    await drag('tone', 'saturation', [1.3]);
  });

  it('zooms to 200 % and pans with the mouse without re-rendering', async () => {
    await clearLog();
    await page.click('#zoom-200');
    const zoomed = await canvasShot(page);
    expect((await state()).viewState.zoom).toBe(2);
    // 2048 x 1536 display pixels cover the whole canvas: no backdrop (41, 41, 43) in the corners.
    for (const [x, y] of [[2, 2], [zoomed.width - 3, 2], [2, zoomed.height - 3], [zoomed.width - 3, zoomed.height - 3]]) {
      const i = (y * zoomed.width + x) * 4;
      expect([zoomed.data[i], zoomed.data[i + 1], zoomed.data[i + 2]]).not.toEqual([41, 41, 43]);
    }
    const box = (await page.$('#view'))!;
    const b = (await box.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + 120, b.y + b.height / 2 + 80, { steps: 4 });
    await page.mouse.up();
    const s = await state();
    // Dragging right/down by (120, 80) screen px at 200 % moves the centre left/up by (60, 40) image px.
    expect(s.viewState.center[0]).toBeCloseTo(0.5 - 60 / 1024, 3);
    expect(s.viewState.center[1]).toBeCloseTo(0.5 - 40 / 768, 3);
    expect(maxDifference(zoomed, await canvasShot(page))).toBeGreaterThan(0);
    expect(s.log).toHaveLength(0);
    await screenshot('demo-zoom-200.png');
    await page.click('#zoom-fit');
  });

  it('a broken shader edit shows the error at its line and the last good shader keeps rendering; a good edit applies live', async () => {
    await page.click('section.node[data-node="glow"] header button[title^="edit GLSL"]');
    const original = await page.$eval('#shader-text', (t) => (t as HTMLTextAreaElement).value);
    expect(await page.$eval('#shader-file', (s) => (s as HTMLSelectElement).value)).toBe('core/blend.frag');
    const lines = original.split('\n');
    const mainLine = lines.findIndex((l) => l.startsWith('void main'));
    expect(mainLine).toBeGreaterThan(0);
    const type = (text: string) =>
      page.$eval(
        '#shader-text',
        (t, text) => {
          (t as HTMLTextAreaElement).value = text as string;
          t.dispatchEvent(new Event('input', { bubbles: true }));
        },
        text,
      );

    /** Ctrl+Enter in the editor applies at once (instead of after the typing pause). */
    const applyNow = async () => {
      await page.focus('#shader-text');
      await page.keyboard.down('Control');
      await page.keyboard.press('Enter');
      await page.keyboard.up('Control');
    };

    // Broken (applied live after the typing pause): an expression is missing on the line after "void main() {".
    const brokenLine = mainLine + 2;
    await type([...lines.slice(0, mainLine + 1), '  float broken = ;', ...lines.slice(mainLine + 1)].join('\n'));
    await page.waitForFunction(() => (window as any).loupeTest.state().shaderError !== '', { timeout: 10_000 });
    let s = await state();
    expect(s.shaderError).toContain(`shaders/core/blend.frag:${brokenLine}:`);
    expect(s.shaderErrorLine).toBe(brokenLine);
    await screenshot('demo-shader-error.png');

    // Rendering goes on with the last good blend shader: more of the (non-negative) blur added is brighter.
    const before = await canvasShot(page);
    await clearLog();
    await drag('glow', 'weightB', [1.5]);
    s = await state();
    expect(s.error).toBe('');
    expect(s.log.at(-1)!.kind).toBe('full');
    expect(s.log.at(-1)!.stats.nodesRun).toEqual(['glow']);
    expect(luma(await canvasShot(page))).toBeGreaterThan(luma(before) + 1);

    // A good edit applies live: copy green into red and blue, so the picture turns grey.
    const closing = lines.lastIndexOf('}');
    await type([...lines.slice(0, closing), '  gl_FragColor.rgb = vec3(gl_FragColor.g);', ...lines.slice(closing)].join('\n'));
    await applyNow();
    expect((await state()).shaderError).toBe('');
    await idle();
    expect(chroma(await canvasShot(page))).toBeLessThan(1);

    await type(original);
    await applyNow();
    await idle();
    expect(chroma(await canvasShot(page))).toBeGreaterThan(8);
    await page.click('#close-editor');
    await idle();
  });

  it('exports the graph and the full-resolution PNG; the Node CLI renders the same graph within 2/255', async () => {
    const graph = (await page.evaluate(() => (window as any).loupeTest.exportGraph())) as GraphSpec;
    expect(graph.outputs).toEqual({ result: 'glow' });
    expect(graph.nodes.find((n) => n.id === 'tone')!.params).toMatchObject({ exposure: 1, saturation: 1.3 });
    expect(graph.nodes.find((n) => n.id === 'glow')!.params).toMatchObject({ weightB: 1.5 });
    const png = Buffer.from((await page.evaluate(() => (window as any).loupeTest.exportPng())) as string, 'base64');
    const src = (await page.evaluate(() => (window as any).loupeTest.sourcePixels())) as { width: number; height: number; base64: string };

    const dir = mkdtempSync(join(tmpdir(), 'loupe-export-'));
    try {
      writeFileSync(join(dir, 'graph.json'), JSON.stringify(graph, null, 2));
      writeFileSync(join(ARTIFACTS, 'exported.graph.json'), JSON.stringify(graph, null, 2));
      writeFileSync(join(ARTIFACTS, 'exported.png'), png);
      await sharp(Buffer.from(decodeBase64<Uint8Array>(src.base64, 'uint8')), { raw: { width: src.width, height: src.height, channels: 4 } })
        .png()
        .toFile(join(dir, 'source.png'));
      await promisify(execFile)(join(REPO, 'node_modules/.bin/tsx'), [join(REPO, 'src/cli/main.ts'), 'retouch', join(dir, 'source.png'), '--graph', join(dir, 'graph.json'), '-o', join(dir, 'out')], {
        cwd: REPO,
        timeout: 120_000,
      });
      const outFile = readdirSync(join(dir, 'out')).find((f) => f.endsWith('.png'));
      expect(outFile).toBeDefined();
      const node = await sharp(join(dir, 'out', outFile!)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const web = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([web.info.width, web.info.height]).toEqual([1024, 768]);
      expect([node.info.width, node.info.height]).toEqual([1024, 768]);
      let max = 0;
      let sum = 0;
      for (let i = 0; i < web.data.length; i++) {
        const d = Math.abs(web.data[i] - node.data[i]);
        max = Math.max(max, d);
        sum += d;
      }
      console.log(`browser export vs Node CLI (8-bit levels): max ${max}, mean ${(sum / web.data.length).toExponential(2)}`);
      expect(max).toBeLessThanOrEqual(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('paints hints with the mouse: green takes a blob off the key, red adds backdrop to it; the exported strokes do the same in the Node CLI and open again; Undo takes back the last; the eraser sends only the tiles it went over', async () => {
    // A dark disc (the piece) and a small dark blob on a light grey backdrop.
    const W = 256;
    const H = 192;
    const img = discImage(W, H, [[90, 96, 40], [200, 56, 9]], [60, 50, 40], [205, 205, 205]);
    const blob = [200, 56];
    const marked = [50, 170];
    const alphaAt = (x: number, y: number) => outputAt('view:key:alpha', x, y);
    /** A short horizontal mouse stroke over image point (x, y), with a brush of at least `radius` image pixels. */
    const paint = async (tool: string, [x, y]: number[], radius: number) => {
      const at = await markTool(tool, W, H, radius, [[x - 4, y], [x + 4, y]]);
      await page.mouse.move(at[0][0], at[0][1]);
      await page.mouse.down();
      await page.mouse.move(at[1][0], at[1][1], { steps: 4 });
      await page.mouse.up();
      await idle();
    };
    await page.evaluate((p) => (window as any).loupeTest.openImage(p), { width: W, height: H, base64: encodeBase64(img) });
    const dir = mkdtempSync(join(tmpdir(), 'loupe-hints-'));
    try {
      await page.select('#preset', 'cutout');
      await idle();
      expect(await page.$eval('#hint-tool', (e) => (e as HTMLSelectElement).disabled)).toBe(false);
      const before = { blob: await alphaAt(blob[0], blob[1]), marked: await alphaAt(marked[0], marked[1]), disc: await alphaAt(90, 96) };
      expect(before.blob).toBeGreaterThan(200);
      expect(before.marked).toBeLessThan(10);

      await paint('backdrop', blob, 14);
      const afterFirst = (await state()).hintUploads;
      await paint('piece', marked, 6);
      await screenshot('demo-hints.png');
      // The first stroke sends the whole layer; the second only the rectangle it painted over.
      const uploads = (await state()).hintUploads;
      console.log(`hint uploads: ${JSON.stringify(afterFirst)} after the first stroke, ${JSON.stringify(uploads)} after the second`);
      expect(afterFirst).toEqual({ whole: 1, regions: 0, pixels: W * H });
      expect(uploads.whole).toBe(1);
      expect(uploads.regions).toBe(1);
      expect(uploads.pixels - W * H).toBeLessThan((W * H) / 10);
      await page.select('#hint-tool', 'off');
      const after = { blob: await alphaAt(blob[0], blob[1]), marked: await alphaAt(marked[0], marked[1]), disc: await alphaAt(90, 96) };
      console.log(`hints in the demo, alpha/255 before -> after: blob ${before.blob} -> ${after.blob}, marked backdrop ${before.marked} -> ${after.marked}, disc ${before.disc} -> ${after.disc}`);
      expect(after.blob).toBeLessThan(10);
      expect(after.marked).toBeGreaterThan(245);
      expect(after.disc).toBe(before.disc);
      expect((await state()).error).toBe('');

      // The exported strokes: green over the blob, red on the marked backdrop, transparent elsewhere.
      const png = Buffer.from((await page.evaluate(() => (window as any).loupeTest.hintsPng())) as string, 'base64');
      writeFileSync(join(dir, 'test.hints.png'), png);
      const strokes = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([strokes.info.width, strokes.info.height]).toEqual([W, H]);
      const px = (x: number, y: number) => [...strokes.data.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)];
      expect(px(blob[0], blob[1])).toEqual([0, 255, 0, 255]);
      expect(px(marked[0], marked[1])).toEqual([255, 0, 0, 255]);
      expect(px(128, 10)[3]).toBe(0);

      await sharp(Buffer.from(img), { raw: { width: W, height: H, channels: 4 } }).png().toFile(join(dir, 'test.png'));
      await promisify(execFile)(join(REPO, 'node_modules/.bin/tsx'), [join(REPO, 'src/cli/main.ts'), 'retouch', join(dir, 'test.png'), '--preset', 'cutout', '--hints', join(dir, 'test.hints.png'), '-o', join(dir, 'out')], {
        cwd: REPO,
        timeout: 120_000,
      });
      const node = await sharp(join(dir, 'out', 'test.png')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const nodeAlpha = (x: number, y: number) => node.data[(y * W + x) * 4 + 3];
      expect(nodeAlpha(blob[0], blob[1])).toBeLessThan(10);
      expect(nodeAlpha(marked[0], marked[1])).toBeGreaterThan(245);
      expect(Math.abs(nodeAlpha(90, 96) - after.disc)).toBeLessThanOrEqual(2);

      // Undo takes back the last stroke (the red one) and keeps the green one.
      await page.click('#marks-undo');
      await idle();
      expect(await alphaAt(marked[0], marked[1])).toBeLessThan(10);
      expect(await alphaAt(blob[0], blob[1])).toBeLessThan(10);

      // The exported file opens again as hints (both strokes); one of another shape is refused with the reason.
      const fileInput = (await page.$('input#hint-file')) as ElementHandle<HTMLInputElement>;
      const opened = await page.evaluate(() => performance.now());
      await fileInput.uploadFile(join(dir, 'test.hints.png'));
      // Opening decodes the file asynchronously: wait for the full render that follows it.
      await page.waitForFunction((t) => (window as any).loupeTest.state().log.some((r: { kind: string; startedAt: number }) => r.kind === 'full' && r.startedAt > t), {}, opened);
      expect(await alphaAt(marked[0], marked[1])).toBeGreaterThan(245);
      expect(await alphaAt(blob[0], blob[1])).toBeLessThan(10);
      await sharp({ create: { width: 100, height: 100, channels: 4, background: { r: 0, g: 255, b: 0, alpha: 1 } } }).png().toFile(join(dir, 'square.png'));
      await fileInput.uploadFile(join(dir, 'square.png'));
      await page.waitForFunction(() => (window as any).loupeTest.state().error !== '');
      expect((await state()).error).toMatch(/the hints are 100x100 and the image 256x192/);
      expect(await alphaAt(marked[0], marked[1])).toBeGreaterThan(245); // the hints stay as they were

      // The eraser sends only the tiles it went over while strokes are left, and takes the hints away with the last.
      const beforeErasing = (await state()).hintUploads;
      await paint('erase', marked, 12);
      const afterErasing = (await state()).hintUploads;
      expect((await state()).hasHints).toBe(true);
      console.log(`hint uploads: ${JSON.stringify(beforeErasing)} before erasing the red stroke, ${JSON.stringify(afterErasing)} after`);
      expect(afterErasing.whole).toBe(beforeErasing.whole);
      expect(afterErasing.regions).toBe(beforeErasing.regions + 1);
      expect(afterErasing.pixels - beforeErasing.pixels).toBeLessThan((W * H) / 5);
      await page.select('#hint-tool', 'off');
      expect(await alphaAt(marked[0], marked[1])).toBeLessThan(10);
      expect(await alphaAt(blob[0], blob[1])).toBeLessThan(10);
      await paint('erase', blob, 24);
      await page.select('#hint-tool', 'off');
      expect((await state()).hintUploads).toEqual(afterErasing);
      expect(await alphaAt(blob[0], blob[1])).toBe(before.blob);
      expect((await state()).hasHints).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await page.select('#hint-tool', 'off');
      await page.select('#preset', 'core');
      await page.select('#sample', 'quick');
      await idle();
    }
  });

  it('clicks spots onto the heal step: a heal spot removes a blotch too large for the detector, a protect spot keeps a speck it heals; Ctrl+Z takes back the last click, not a spot typed in after it', async () => {
    const W = 256;
    const H = 192;
    // A blotch 18 px wide and a speck 3 px wide, dark on grey.
    const img = discImage(W, H, [[128, 96, 9], [40, 40, 1.6]], [60, 60, 60], [180, 180, 180]);
    const lumaAt = (x: number, y: number) => outputAt('result', x, y);
    const click = async (tool: string, x: number, y: number, radius: number) => {
      const [at] = await markTool(tool, W, H, radius, [[x, y]]);
      await page.mouse.click(at[0], at[1]);
      await idle();
    };
    await page.evaluate((p) => (window as any).loupeTest.openImage(p), { width: W, height: H, base64: encodeBase64(img) });
    try {
      await page.select('#preset', 'imperfections');
      await idle();
      const before = { blotch: await lumaAt(128, 96), speck: await lumaAt(40, 40) };
      expect(before.blotch).toBeLessThan(100); // 18 px wide: larger than maxSize, left alone
      expect(before.speck).toBeGreaterThan(170); // a 3 px speck: healed

      await click('heal-spot', 128, 96, 14);
      await click('protect-spot', 40, 40, 5);
      // The spots are drawn over the picture while a spot tool is selected.
      expect(await page.$$eval('#spot-layer circle', (cs) => cs.map((c) => [c.getAttribute('class'), Math.round(Number(c.getAttribute('cx')))]))).toEqual([
        ['heal', 128],
        ['protect', 40],
      ]);
      await screenshot('demo-spots.png');
      await page.select('#hint-tool', 'off');
      const after = { blotch: await lumaAt(128, 96), speck: await lumaAt(40, 40) };
      console.log(`spots in the demo, result luma/255 before -> after: blotch ${before.blotch} -> ${after.blotch}, protected speck ${before.speck} -> ${after.speck}`);
      expect(after.blotch).toBeGreaterThan(170);
      expect(after.speck).toBeLessThan(100);
      const spots = ((await page.evaluate(() => (window as any).loupeTest.exportGraph())) as GraphSpec).nodes.find((n) => n.id === 'heal')!.params!.spots as number[][];
      expect(spots.map(([x, y, r, mode]) => [Math.abs(x - [128, 40][mode === 1 ? 0 : 1]) <= 1, r >= [14, 5][mode === 1 ? 0 : 1], mode])).toEqual([
        [true, true, 1],
        [true, true, 0],
      ]);
      expect(await page.$eval('textarea[data-node="heal"][data-param="spots"]', (t) => JSON.parse((t as HTMLTextAreaElement).value))).toEqual(spots);

      // A spot typed into the panel after the clicks is not a click of this session's: undo leaves it.
      const typed = [200, 150, 4, 1];
      await page.$eval('textarea[data-node="heal"][data-param="spots"]', (t, v) => {
        (t as HTMLTextAreaElement).value = JSON.stringify(v);
        t.dispatchEvent(new Event('change'));
      }, [...spots, typed]);
      await idle();

      // Ctrl+Z takes back the protect spot: the speck is healed again, the blotch stays healed.
      await page.keyboard.down('Control');
      await page.keyboard.press('z');
      await page.keyboard.up('Control');
      await idle();
      expect(await lumaAt(40, 40)).toBeGreaterThan(170);
      expect(await lumaAt(128, 96)).toBeGreaterThan(170);
      expect(await page.$eval('textarea[data-node="heal"][data-param="spots"]', (t) => JSON.parse((t as HTMLTextAreaElement).value))).toEqual([spots[0], typed]);
      expect(await page.$$eval('#spot-layer circle', (cs) => cs.length)).toBe(2);
    } finally {
      await page.select('#hint-tool', 'off');
      await page.select('#preset', 'core');
      await page.select('#sample', 'quick');
      await idle();
    }
  });

  it('every preset of this checkout loads, builds its panel and renders without error (on a small image)', async () => {
    const small = parityImage(256, 192);
    await page.evaluate((p) => (window as any).loupeTest.openImage(p), { width: small.width, height: small.height, base64: encodeBase64(small.data as Uint8Array) });
    const names = (await page.$$eval('#preset option', (os) => os.map((o) => (o as HTMLOptionElement).value))) as string[];
    expect(names).toContain('core');
    try {
      for (const name of names) {
        await page.select('#preset', name);
        await idle();
        const s = await state();
        expect(s.error, `preset ${name}`).toBe('');
        expect(s.log.at(-1)!.kind, `preset ${name}`).toBe('full');
        expect(await page.$$eval('#panel section.node', (n) => n.length), `preset ${name}`).toBeGreaterThan(0);
      }
    } finally {
      // Back to the state the next test expects, whatever failed.
      await page.select('#preset', 'core');
      await page.select('#sample', 'quick');
      await idle();
    }
  });

  it('survives a WebGL context loss: restores, rebuilds and shows the same picture', async () => {
    const before = await canvasShot(page);
    await page.evaluate(() => (window as any).loupeTest.loseAndRestoreContext());
    const s = await state();
    expect(s.lost).toBe(false);
    expect(s.error).toBe('');
    expect(s.log.at(-1)!.kind).toBe('full');
    expect(s.log.at(-1)!.stats.nodesReused).toEqual([]);
    // Same graph, same pixels, same GPU: the same picture to within a level of rounding.
    expect(maxDifference(before, await canvasShot(page))).toBeLessThanOrEqual(1);
  });
});
