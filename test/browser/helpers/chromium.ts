import puppeteer, { type Browser, type Page } from 'puppeteer';

/**
 * Headless system Chromium with SwiftShader WebGL (no GPU on CI machines).
 * CHROMIUM_PATH overrides the binary.
 */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--headless=new',
    ],
  });
}

/** Opens the demo and waits until its test hook is installed and the first full render is done. */
export async function openDemo(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  try {
    await page.waitForFunction('window.loupeTest !== undefined', { timeout: 120_000 });
  } catch (e) {
    throw new Error(`the demo did not start: ${problems.join('\n') || (e as Error).message}`);
  }
  await page.evaluate('window.loupeTest.idle()');
  return page;
}

export function decodeBase64<T extends Uint8Array | Float32Array>(b64: string, type: 'uint8' | 'float32'): T {
  const buf = Buffer.from(b64, 'base64');
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice();
  return (type === 'uint8' ? bytes : new Float32Array(bytes.buffer)) as T;
}

export function encodeBase64(data: Uint8Array | Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}
