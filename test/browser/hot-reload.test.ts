import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';
import { launchChromium, openDemo } from './helpers/chromium.js';
import { canvasShot, fittedImageRegion, maxDifference, meanLuma, type CanvasShot } from './helpers/canvas.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The display shader: only the demo uses it, so editing it briefly disturbs nobody else's tests. */
const SHADER = join(REPO, 'shaders/display/view.frag');
const OUTPUT_LINE = 'gl_FragColor = vec4(shown, 1.0);';

/**
 * `npm run dev`: saving a file under shaders/ swaps it into the running page
 * through Vite's hot module replacement, with the same compile check as the
 * in-page editor. The test edits the display shader on disk (restoring it
 * afterwards, whatever happens) and watches the canvas.
 */
describe('dev server hot reload of shaders/', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const original = readFileSync(SHADER, 'utf8');

  const idle = () => page.evaluate(() => (window as any).loupeTest.idle());
  const luma = (s: CanvasShot) => meanLuma(s, fittedImageRegion(s, 1024, 768));
  async function waitForCanvas(check: (s: CanvasShot) => boolean, what: string): Promise<CanvasShot> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const shot = await canvasShot(page);
      if (check(shot)) return shot;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    expect(original).toContain(OUTPUT_LINE);
    server = await createServer({ configFile: join(REPO, 'demo/vite.config.ts'), logLevel: 'warn', server: { host: '127.0.0.1', port: 0 } });
    await server.listen();
    browser = await launchChromium();
    page = await openDemo(browser, `${server.resolvedUrls!.local[0]}?preset=core&sample=quick`);
  });
  afterAll(async () => {
    writeFileSync(SHADER, original);
    await browser?.close();
    await server?.close();
  });

  it('an edited shader file replaces the running one; a broken save shows the error and keeps the last good one', async () => {
    try {
      // Hot replacement, not a page reload: this marker must survive every edit.
      await page.evaluate(() => ((window as any).sameDocument = true));
      const before = await canvasShot(page);
      writeFileSync(SHADER, original.replace(OUTPUT_LINE, 'gl_FragColor = vec4(1.0 - shown, 1.0);'));
      // Inverted display: mean luma becomes 255 minus the old one (2 levels for rounding).
      await waitForCanvas((s) => Math.abs(luma(s) - (255 - luma(before))) < 2, 'the inverted display');
      // The first inverted frame may be the proxy; compare against the refined one.
      await idle();
      const inverted = await canvasShot(page);

      const lines = original.split('\n');
      const at = lines.findIndex((l) => l.includes(OUTPUT_LINE));
      writeFileSync(SHADER, [...lines.slice(0, at), '  vec3 broken = ;', ...lines.slice(at)].join('\n'));
      await page.waitForFunction(() => (window as any).loupeTest.state().error.includes('shaders/display/view.frag'), { timeout: 30_000 });
      expect(((await page.evaluate(() => (window as any).loupeTest.state())) as { error: string }).error).toContain(`shaders/display/view.frag:${at + 1}:`);
      await idle();
      expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
      expect(maxDifference(inverted, await canvasShot(page))).toBe(0);

      writeFileSync(SHADER, original);
      await waitForCanvas((s) => maxDifference(s, before) <= 1, 'the original display');
      expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
    } finally {
      writeFileSync(SHADER, original);
    }
  });
});
