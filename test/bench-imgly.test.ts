/**
 * The optional "imgly (ML)" keying method of the quality benchmark
 * (bench/lib/imgly-method.ts), without the real package: a missing install
 * fails clearly, and a stand-in package in a temporary folder checks the
 * loading path and the PNG hand-over (sRGB in, straight-alpha matte and
 * linear foreground out).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImage } from '../src/cpu/image.js';
import { fromDisplay, toDisplay } from '../src/metrics/index.js';
import { IMGLY_METHOD_NAME, IMGLY_PACKAGE, loadImglyMethod, resolveImgly } from '../bench/lib/imgly-method.js';
import type { QualityCase } from '../bench/lib/quality-cases.js';

const W = 24;
const H = 16;

/**
 * A folder with a stand-in package: removeBackground records the config and
 * the W x H PNG it was given, and answers with a prepared cut-out PNG.
 */
function standInFolder(cutout: Buffer): string {
  const folder = mkdtempSync(join(tmpdir(), 'loupe-imgly-'));
  const dist = join(folder, 'node_modules', ...IMGLY_PACKAGE.split('/'), 'dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, '..', 'package.json'), JSON.stringify({ name: IMGLY_PACKAGE, exports: { '.': { require: './dist/index.cjs' } } }));
  writeFileSync(join(dist, 'cutout.png'), cutout);
  writeFileSync(
    join(dist, 'index.cjs'),
    `const fs = require('node:fs');
     const path = require('node:path');
     exports.removeBackground = async (blob, config) => {
       const input = Buffer.from(await blob.arrayBuffer());
       // The warm-up image (another width, read from the PNG header) comes back as it went in.
       if (input.readUInt32BE(16) !== ${W}) return blob;
       fs.writeFileSync(path.join(__dirname, 'config.json'), JSON.stringify(config));
       fs.writeFileSync(path.join(__dirname, 'input.png'), input);
       return new Blob([fs.readFileSync(path.join(__dirname, 'cutout.png'))], { type: 'image/png' });
     };`,
  );
  return folder;
}

describe('imgly keying method (bench/lib/imgly-method.ts)', () => {
  it('names the package and the install recipe when the folder does not have it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'loupe-imgly-empty-'));
    expect(() => resolveImgly(empty)).toThrow(`${IMGLY_PACKAGE} is not installed in ${empty}`);
    await expect(loadImglyMethod(join(empty, 'missing'))).rejects.toThrow(/docs\/benchmarks\.md/);
  });

  it('sends the raw image as an sRGB PNG and returns the cut-out as straight-alpha matte and linear foreground', async () => {
    // Cut-out answer: colour and alpha vary independently, alpha 0 and 255 included.
    const rgba = Buffer.alloc(W * H * 4);
    for (let p = 0; p < W * H; p++) rgba.set([(p * 7) % 256, (p * 13) % 256, (p * 29) % 256, (p * 11) % 256], p * 4);
    rgba[3] = 0;
    rgba[7] = 255;
    const folder = standInFolder(await sharp(rgba, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer());
    const method = await loadImglyMethod(folder);
    expect(method.name).toBe(IMGLY_METHOD_NAME);

    // Linear raw values, a few outside 0..1 as noise can leave them.
    const raw = createImage(W, H, (x, y) => [(x / W) ** 2.2, y / H, x === 0 ? -0.01 : 0.3, 1]);
    raw.data[4] = 1.2;
    const out = await method.run({ raw } as QualityCase);

    const dist = join(folder, 'node_modules', ...IMGLY_PACKAGE.split('/'), 'dist');
    const config = JSON.parse(readFileSync(join(dist, 'config.json'), 'utf8'));
    // The model is found through publicPath, not through the working directory.
    expect(config).toEqual({ publicPath: `${pathToFileURL(dist).href}/`, model: 'medium', output: { format: 'image/png' } });

    const input = await sharp(readFileSync(join(dist, 'input.png'))).raw().toBuffer({ resolveWithObject: true });
    expect(input.info).toMatchObject({ width: W, height: H, channels: 3 });
    const display = toDisplay(raw);
    for (let p = 0; p < W * H; p++)
      for (let c = 0; c < 3; c++) expect(Math.abs(input.data[p * 3 + c] / 255 - Math.min(1, Math.max(0, display.data[p * 4 + c])))).toBeLessThanOrEqual(0.5 / 255 + 1e-12);

    const expectedForeground = fromDisplay(createImage(W, H, (x, y) => [...rgba.subarray((y * W + x) * 4, (y * W + x) * 4 + 4)].map((v) => v / 255) as [number, number, number, number]));
    for (let p = 0; p < W * H; p++) {
      const a = rgba[p * 4 + 3] / 255;
      expect([...out.alpha!.data.subarray(p * 4, p * 4 + 4)]).toEqual([a, a, a, 1]);
      for (let c = 0; c < 4; c++) expect(out.foreground!.data[p * 4 + c]).toBeCloseTo(expectedForeground.data[p * 4 + c], 12);
    }
    expect(out.result).toBe(out.foreground);
  });
});
