/**
 * Graphs and a presets folder built only from the core passes, so the
 * CLI/API/service tests do not depend on which retouching presets exist yet.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphSpec } from '../../src/graph/types.js';

export const blurGraph = (sigma = 1.5): GraphSpec => ({
  version: 1,
  description: 'Gaussian blur (test)',
  nodes: [{ id: 'blur', pass: 'blur.gaussian', params: { sigma }, inputs: { image: '$source' } }],
  outputs: { result: 'blur' },
});

export const exposureGraph = (exposure = 1): GraphSpec => ({
  version: 1,
  description: 'exposure change (test)',
  nodes: [{ id: 'grade', pass: 'color.convert', params: { exposure }, inputs: { image: '$source' } }],
  outputs: { result: 'grade' },
});

/** source mixed halfway with its blur: the "blur" node is an intermediate worth dumping. */
export const softenGraph = (): GraphSpec => ({
  version: 1,
  description: 'half blur (test)',
  nodes: [
    { id: 'blur', pass: 'blur.gaussian', params: { sigma: 2 }, inputs: { image: '$source' } },
    { id: 'mix', pass: 'math.blend', params: { mode: 'mix', weightB: 0.5 }, inputs: { a: '$source', b: 'blur' } },
  ],
  outputs: { result: 'mix' },
});

/**
 * A presets folder: "blur", "exposure", "soften", "white-background" (a cheap
 * stand-in with a real preset's name), "nopass" (unknown pass type) and "broken" (not JSON).
 */
/** The keyer's matte as the result (its whole-frame check leaves a note on a lifestyle shot). */
export const keyAlphaGraph = (): GraphSpec => ({
  version: 1,
  nodes: [{ id: 'key', pass: 'background.key', params: { illuminationSigma: 16 }, inputs: { image: '$source' } }],
  outputs: { result: 'key:alpha' },
});

export function writeTestPresets(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, body: unknown) => writeFileSync(join(dir, `${name}.json`), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  write('blur', blurGraph());
  write('exposure', exposureGraph());
  write('soften', softenGraph());
  write('white-background', exposureGraph(0.5));
  write('nopass', { version: 1, nodes: [{ id: 'x', pass: 'no.such.pass', inputs: { image: '$source' } }], outputs: { result: 'x' } });
  write('broken', '{ "version": 1, "nodes": [');
  return dir;
}
