import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createLoupe, type Loupe } from '../src/api/loupe.js';
import { startServer, type StartedServer } from '../src/server/index.js';
import { blurGraph, keyAlphaGraph, writeTestPresets } from './helpers/test-graphs.js';
import { bombPng, corruptPng, gifFile, imageFile, ringShot } from './helpers/image-files.js';

let loupe: Loupe;
let service: StartedServer;
let png: Buffer;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'loupe-server-'));
  loupe = await createLoupe({ presetsDir: writeTestPresets(join(dir, 'presets')), maxPixels: 250_000 });
  service = await startServer(loupe, { port: 0, limits: { maxBodyBytes: 2_000_000, maxQueue: 4, timeoutMs: 30_000 } });
  png = await imageFile(64, 48, 'png');
});
afterAll(() => service?.close());

const post = (path: string, body: Uint8Array | string, type: string) =>
  fetch(service.url + path, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { 'Content-Type': type } });

async function errorOf(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await res.json()) as { error: { code: string; message: string; node?: string; param?: string } }).error;
}

describe('GET routes', () => {
  it('answers /health, /passes and /presets', async () => {
    const health = await (await fetch(service.url + '/health')).json();
    expect(health).toMatchObject({ status: 'ok', queue: { inFlight: 0, max: 4 }, limits: { maxPixels: 250_000 } });
    const passes = (await (await fetch(service.url + '/passes')).json()) as Array<{ type: string; params: object }>;
    expect(passes.find((p) => p.type === 'blur.gaussian')?.params).toHaveProperty('sigma.unit', 'px');
    const presets = (await (await fetch(service.url + '/presets')).json()) as Array<{ name: string; valid: boolean }>;
    expect(presets.find((p) => p.name === 'blur')?.valid).toBe(true);
  });

  it('answers unknown routes and wrong methods with JSON errors', async () => {
    const missing = await fetch(service.url + '/nope');
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).message).toMatch(/routes: POST \/retouch/);
    const wrong = await fetch(service.url + '/retouch');
    expect(wrong.status).toBe(405);
    expect((await errorOf(wrong)).code).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('POST /retouch', () => {
  it('takes a raw image body with ?preset= and answers the retouched image', async () => {
    const res = await post('/retouch?preset=blur&format=webp&quality=90', png, 'image/png');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('x-loupe-timings')).toMatch(/decode=.*render=.*encode=/);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 64, 48]);
  });

  it('sends what a pass decided about the image in X-Loupe-Notes, and no such header otherwise', async () => {
    const encoded = async (sleeve: boolean) => {
      const shot = ringShot(sleeve);
      return (await sharp(Buffer.from(shot.data), { raw: { width: shot.width, height: shot.height, channels: 4 } }).png().toBuffer()).toString('base64');
    };
    const lifestyle = await post('/retouch', JSON.stringify({ image: await encoded(true), graph: keyAlphaGraph() }), 'application/json');
    expect(lifestyle.status).toBe(200);
    const notes = JSON.parse(lifestyle.headers.get('x-loupe-notes') ?? '[]') as string[];
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^node "key": .*kept the whole frame/);
    const product = await post('/retouch', JSON.stringify({ image: await encoded(false), graph: keyAlphaGraph() }), 'application/json');
    expect(product.status).toBe(200);
    expect(product.headers.get('x-loupe-notes')).toBeNull();
  });

  it('takes hints (red = piece, green = backdrop) as a JSON field or a multipart part; "$hints?" runs without them', async () => {
    const encode = (px: { width: number; height: number; data: Uint8Array }) => sharp(Buffer.from(px.data), { raw: { width: px.width, height: px.height, channels: 4 } }).png().toBuffer();
    const image = await encode(ringShot(true));
    const green = new Uint8Array(128 * 128 * 4);
    for (let i = Math.ceil(0.53 * 128) * 128; i < 128 * 128; i++) green.set([0, 255, 0, 255], i * 4);
    const hints = await encode({ width: 128, height: 128, data: green });
    const graph = { ...keyAlphaGraph(), nodes: [{ ...keyAlphaGraph().nodes[0], inputs: { image: '$source', hints: '$hints?' } }] };
    const sleeveAlpha = async (res: Response) => (await sharp(Buffer.from(await res.arrayBuffer())).greyscale().raw().toBuffer())[110 * 128 + 64];

    const without = await post('/retouch', JSON.stringify({ image: image.toString('base64'), graph }), 'application/json');
    expect(without.status).toBe(200);
    expect(without.headers.get('x-loupe-notes')).toMatch(/kept the whole frame/);
    expect(await sleeveAlpha(without)).toBe(255);
    const viaJson = await post('/retouch', JSON.stringify({ image: image.toString('base64'), hints: hints.toString('base64'), graph }), 'application/json');
    expect(viaJson.status).toBe(200);
    expect(viaJson.headers.get('x-loupe-notes')).toBeNull();
    expect(await sleeveAlpha(viaJson)).toBe(0);
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(image)], { type: 'image/png' }), 'ring.png');
    form.append('hints', new Blob([new Uint8Array(hints)], { type: 'image/png' }), 'ring.hints.png');
    form.append('graph', JSON.stringify(graph));
    const viaForm = await fetch(service.url + '/retouch', { method: 'POST', body: form });
    expect(viaForm.status).toBe(200);
    expect(await sleeveAlpha(viaForm)).toBe(0);

    const required = { ...graph, nodes: [{ ...graph.nodes[0], inputs: { image: '$source', hints: '$hints' } }] };
    const missing = await post('/retouch', JSON.stringify({ image: image.toString('base64'), graph: required }), 'application/json');
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).message).toMatch(/can only provide "\$source" \(the posted image\) and "\$hints"/);
    const notAnImage = await post('/retouch', JSON.stringify({ image: image.toString('base64'), hints: 'bm90IGFuIGltYWdl', graph }), 'application/json');
    expect(notAnImage.status).toBe(400);
    expect((await errorOf(notAnImage)).message).toMatch(/cannot read the hints/);
  });

  it('gives the same pixels from a JSON body with a graph, a multipart form and the preset', async () => {
    const viaPreset = Buffer.from(await (await post('/retouch?preset=blur', png, 'image/png')).arrayBuffer());
    const viaJson = await post('/retouch', JSON.stringify({ image: png.toString('base64'), graph: blurGraph() }), 'application/json');
    expect(viaJson.status).toBe(200);
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'ring.png');
    form.append('graph', JSON.stringify(blurGraph()));
    const viaForm = await fetch(service.url + '/retouch', { method: 'POST', body: form });
    expect(viaForm.status).toBe(200);
    const raw = (b: Buffer) => sharp(b).raw().toBuffer();
    const expected = await raw(viaPreset);
    expect((await raw(Buffer.from(await viaJson.arrayBuffer()))).equals(expected)).toBe(true);
    expect((await raw(Buffer.from(await viaForm.arrayBuffer()))).equals(expected)).toBe(true);
  });

  it('serves concurrent requests on one GL context with the same result as one at a time', async () => {
    const images = await Promise.all([1, 2, 3, 4].map((seed) => imageFile(64, 48, 'png', { seed })));
    const sequential: Buffer[] = [];
    for (const img of images) sequential.push(Buffer.from(await (await post('/retouch?preset=soften', img, 'image/png')).arrayBuffer()));
    const concurrent = await Promise.all(images.map((img) => post('/retouch?preset=soften', img, 'image/png')));
    for (let i = 0; i < images.length; i++) {
      expect(concurrent[i].status).toBe(200);
      expect(Buffer.from(await concurrent[i].arrayBuffer()).equals(sequential[i])).toBe(true);
    }
  });

  it('answers 503 when the queue is full, and serves the rest', async () => {
    const img = await imageFile(400, 300, 'png');
    const responses = await Promise.all(Array.from({ length: 12 }, () => post('/retouch?preset=soften', img, 'image/png')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
    const busy = responses.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0].headers.get('retry-after')).toBe('1');
    expect((await errorOf(busy[0])).code).toBe('BUSY');
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });

  it('answers each bad request with a clear JSON error', async () => {
    const cases: Array<[string, Promise<Response>, number, string, RegExp]> = [
      ['corrupt', post('/retouch?preset=blur', await corruptPng(), 'image/png'), 400, 'CORRUPT_IMAGE', /corrupt/],
      ['empty', post('/retouch?preset=blur', new Uint8Array(0), 'image/png'), 400, 'EMPTY_FILE', /no image/],
      ['gif', post('/retouch?preset=blur', await gifFile(), 'image/gif'), 415, 'UNSUPPORTED_FORMAT', /gif/],
      ['bomb', post('/retouch?preset=blur', await bombPng(), 'image/png'), 413, 'IMAGE_TOO_LARGE', /100000x100000.*refused before decoding/],
      ['body', post('/retouch?preset=blur', new Uint8Array(2_000_001), 'image/png'), 413, 'BODY_TOO_LARGE', /limit is 2000000/],
      ['preset', post('/retouch?preset=nope', png, 'image/png'), 400, 'UNKNOWN_PRESET', /unknown preset "nope" \(available: .*blur/],
      ['path', post('/retouch?preset=..%2F..%2Fetc%2Fpasswd', png, 'image/png'), 400, 'INVALID_OPTION', /not a preset name/],
      ['set', post('/retouch?preset=blur&set=blur.sigma%3D-4', png, 'image/png'), 400, 'INVALID_GRAPH', /node "blur" params\.sigma: -4 is out of range/],
      ['json', post('/retouch', '{"image": ', 'application/json'), 400, 'BAD_REQUEST', /JSON body does not parse/],
      ['graph', post('/retouch', JSON.stringify({ image: png.toString('base64'), graph: { version: 1, nodes: [{ id: 'b', pass: 'blur.gaussian', inputs: { image: '$background' } }], outputs: { result: 'b' } } }), 'application/json'), 400, 'INVALID_GRAPH', /can only provide "\$source"/],
      ['format', post('/retouch?preset=blur&format=bmp', png, 'image/png'), 400, 'INVALID_OPTION', /unknown output format "bmp"/],
      ['type', post('/retouch?preset=blur', 'hello', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE', /Content-Type "text\/plain"/],
    ];
    for (const [name, pending, status, code, message] of cases) {
      const res = await pending;
      const err = await errorOf(res);
      expect({ name, status: res.status, code: err.code }).toEqual({ name, status, code });
      expect(err.message).toMatch(message);
    }
    const setErr = await errorOf(await post('/retouch?preset=blur&set=blur.sigma%3D-4', png, 'image/png'));
    expect([setErr.node, setErr.param]).toEqual(['blur', 'params.sigma']);
  });

  it('answers 504 past the per-request time limit', async () => {
    const strict = await startServer(loupe, { port: 0, limits: { timeoutMs: 1 } });
    try {
      const res = await fetch(strict.url + '/retouch?preset=blur', { method: 'POST', body: new Uint8Array(png), headers: { 'Content-Type': 'image/png' } });
      expect(res.status).toBe(504);
      expect((await errorOf(res)).code).toBe('TIMEOUT');
    } finally {
      await strict.close();
    }
  });
});
