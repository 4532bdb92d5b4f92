/**
 * The HTTP service (`loupe serve`): node:http, no framework.
 *
 *   POST /retouch   image in, retouched image out
 *   GET  /passes    pass schemas       GET /presets   presets
 *   GET  /health    GPU and queue state
 *
 * Requests never touch the file system: presets are chosen by name from the
 * loaded set, graphs arrive as JSON, and a graph can only read the posted
 * image ("$source"). GPU work is synchronous, so the single GL context runs
 * one render at a time while decoding and encoding of queued requests overlap.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseOverride, DEFAULT_PRESET, type Loupe, type ParamOverride, type RetouchResult } from '../api/loupe.js';
import { LoupeError, OptionError, toLoupeError, type LoupeErrorCode } from '../api/errors.js';
import { MIME_TYPES, parseFormat, type ImageFormat } from '../node/image-io.js';
import { PRESET_NAME } from '../presets/index.js';
import { parseRef, type GraphSpec } from '../graph/types.js';

export interface ServerLimits {
  /** Largest request body (bytes); larger ones get 413 before they are read. */
  maxBodyBytes: number;
  /** Requests accepted at once (running or waiting); more get 503. */
  maxQueue: number;
  /** Time from request to response; later ones get 504. */
  timeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { maxBodyBytes: 50_000_000, maxQueue: 8, timeoutMs: 60_000 };
/** Service default pixel limit (40 MP: a few float textures of this size fit in a few GB). */
export const DEFAULT_SERVER_MAX_PIXELS = 40_000_000;

export interface StartedServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** HTTP-level failures that are not about the image or graph. */
type ServiceErrorCode = 'UNSUPPORTED_MEDIA_TYPE' | 'BODY_TOO_LARGE' | 'BUSY' | 'TIMEOUT' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'BAD_REQUEST' | 'INTERNAL';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_BY_CODE: Partial<Record<LoupeErrorCode, number>> = {
  UNSUPPORTED_FORMAT: 415,
  IMAGE_TOO_LARGE: 413,
  RENDER_FAILED: 500,
  WRITE_FAILED: 500,
};

export async function startServer(loupe: Loupe, opts: { port?: number; host?: string; limits?: Partial<ServerLimits> } = {}): Promise<StartedServer> {
  const server = createServer(createHandler(loupe, { ...DEFAULT_SERVER_LIMITS, ...opts.limits }));
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 8080, opts.host ?? '127.0.0.1', done);
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}

/** JSON with every character outside printable ASCII escaped (\uXXXX), as a header value must be. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function createHandler(loupe: Loupe, limits: ServerLimits) {
  let inFlight = 0;
  const started = Date.now();

  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      switch (url.pathname) {
        case '/health':
          allow(req, 'GET');
          return sendJson(res, 200, {
            status: 'ok',
            gpu: loupe.engine.caps.renderer,
            intermediates: loupe.engine.caps.format,
            maxTextureSize: loupe.engine.caps.maxTextureSize,
            queue: { inFlight, max: limits.maxQueue },
            limits: { maxBodyBytes: limits.maxBodyBytes, maxPixels: loupe.maxPixels, timeoutMs: limits.timeoutMs },
            uptimeSeconds: Math.round((Date.now() - started) / 1000),
          });
        case '/passes':
          allow(req, 'GET');
          return sendJson(res, 200, loupe.passes());
        case '/presets':
          allow(req, 'GET');
          return sendJson(res, 200, loupe.presets());
        case '/retouch':
          allow(req, 'POST');
          break;
        default:
          throw new HttpError(404, 'NOT_FOUND', `no route ${url.pathname} (routes: POST /retouch, GET /passes, GET /presets, GET /health)`);
      }
    } catch (e) {
      return sendError(res, e);
    }

    if (inFlight >= limits.maxQueue) {
      res.setHeader('Retry-After', '1');
      req.resume();
      return sendError(res, new HttpError(503, 'BUSY', `the service is busy (${inFlight} requests in progress, limit ${limits.maxQueue}); retry shortly`));
    }
    inFlight++;
    let answered = false;
    // On timeout: answer 504 and abort the work at its next step (body read, decode, render).
    const abort = new AbortController();
    const timer = setTimeout(() => {
      answered = true;
      abort.abort();
      sendError(res, new HttpError(504, 'TIMEOUT', `the request took longer than ${limits.timeoutMs / 1000} s`));
    }, limits.timeoutMs);
    // The slot is held until the work really ends, even after a timeout answer: the queue bound stays true.
    handleRetouch(loupe, req, url, limits, abort.signal)
      .then((r) => {
        if (answered) return;
        res.writeHead(200, {
          'Content-Type': MIME_TYPES[r.format],
          'Content-Length': r.buffer.length,
          'X-Loupe-Size': `${r.width}x${r.height}`,
          'X-Loupe-Bit-Depth': String(r.bitDepth),
          'X-Loupe-Timings': `decode=${r.timings.decodeMs};render=${r.timings.renderMs};encode=${r.timings.encodeMs}`,
          // What the passes did about this image (e.g. a key that kept the whole frame), a JSON array of strings.
          ...(r.notes.length ? { 'X-Loupe-Notes': asciiJson(r.notes) } : {}),
        });
        res.end(r.buffer);
      })
      .catch((e) => {
        if (!answered) sendError(res, e);
      })
      .finally(() => {
        answered = true;
        clearTimeout(timer);
        inFlight--;
      });
  };
}

interface RetouchRequest {
  image: Buffer;
  /** The user's strokes for the graph's "$hints" (red = piece, green = backdrop). */
  hints?: Buffer;
  preset?: string;
  graph?: unknown;
  set: ParamOverride[];
  format?: ImageFormat;
  quality?: number;
  depth?: 8 | 16;
  output?: string;
}

async function handleRetouch(loupe: Loupe, req: IncomingMessage, url: URL, limits: ServerLimits, signal: AbortSignal): Promise<RetouchResult> {
  const body = await readBody(req, limits.maxBodyBytes, signal);
  const r = parseRetouchRequest(req.headers['content-type'] ?? '', body, url.searchParams);
  if (r.preset !== undefined && r.graph !== undefined) throw new OptionError('give a preset or a graph, not both');
  let graph: GraphSpec;
  if (r.graph !== undefined) graph = loupe.prepareGraph(r.graph, r.set, 'request graph');
  else {
    const preset = r.preset ?? DEFAULT_PRESET;
    if (!PRESET_NAME.test(preset)) throw new OptionError(`"${preset}" is not a preset name (letters, digits, "-", "_")`);
    graph = loupe.prepareGraph(loupe.preset(preset).graph, r.set, `preset ${preset}`);
  }
  for (const n of graph.nodes)
    for (const [slot, ref] of Object.entries(n.inputs ?? {})) {
      if (typeof ref !== 'string' || !ref.startsWith('$')) continue;
      const external = parseRef(ref);
      if (external.name === 'source' || (external.name === 'hints' && (external.optional || r.hints))) continue;
      throw new LoupeError('INVALID_GRAPH', `node "${n.id}" input "${slot}" reads "${ref}": a request can only provide "$source" (the posted image) and "$hints" (a posted "hints" image)`, { node: n.id, param: `inputs.${slot}` });
    }
  const t0 = performance.now();
  const decoded = await loupe.decode(r.image, 'request image');
  const decodeMs = Math.round((performance.now() - t0) * 10) / 10;
  signal.throwIfAborted(); // the GPU is shared: never render for a request already answered
  const result = await loupe.retouch(decoded, { graph, format: r.format, quality: r.quality, bitDepth: r.depth, output: r.output, hints: r.hints });
  return { ...result, timings: { ...result.timings, decodeMs } };
}

/**
 * Three request shapes:
 *  - image/* (or application/octet-stream) body, options in the query: ?preset=&format=&quality=&depth=&output=&set=
 *  - application/json: { image: base64, hints?: base64, preset | graph, set?: string[], format?, quality?, depth?, output? }
 *  - multipart/form-data: an "image" file part, optionally a "hints" file part, "graph" (JSON) or "preset", and the same option fields.
 */
function parseRetouchRequest(contentType: string, body: Buffer, query: URLSearchParams): RetouchRequest {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const fields = new Map<string, string[]>();
  const add = (k: string, v: string) => fields.set(k, [...(fields.get(k) ?? []), v]);
  for (const [k, v] of query) add(k, v);
  let image: Buffer | undefined;
  let hints: Buffer | undefined;
  let graph: unknown;

  if (type.startsWith('image/') || type === 'application/octet-stream') {
    image = body;
  } else if (type === 'application/json') {
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new HttpError(400, 'BAD_REQUEST', `the JSON body does not parse: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new HttpError(400, 'BAD_REQUEST', 'the JSON body must be an object { image, preset | graph, ... }');
    if (typeof json.image !== 'string') throw new HttpError(400, 'BAD_REQUEST', '"image" must be the image file as a base64 string');
    image = Buffer.from(json.image, 'base64');
    if (json.hints !== undefined) {
      if (typeof json.hints !== 'string') throw new HttpError(400, 'BAD_REQUEST', '"hints" must be the hints image file as a base64 string');
      hints = Buffer.from(json.hints, 'base64');
    }
    graph = json.graph;
    for (const k of ['preset', 'format', 'quality', 'depth', 'output'])
      if (json[k] !== undefined) add(k, String(json[k]));
    if (json.set !== undefined) {
      if (!Array.isArray(json.set)) throw new HttpError(400, 'BAD_REQUEST', '"set" must be an array of "node.param=value" strings');
      for (const s of json.set) add('set', String(s));
    }
  } else if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
    if (!boundary) throw new HttpError(400, 'BAD_REQUEST', 'multipart body without a boundary');
    for (const part of parseMultipart(body, boundary[1] ?? boundary[2])) {
      if (part.name === 'image') image = part.data;
      else if (part.name === 'hints') hints = part.data;
      else if (part.name === 'graph') {
        try {
          graph = JSON.parse(part.data.toString('utf8'));
        } catch (e) {
          throw new LoupeError('INVALID_GRAPH', `the "graph" part is not valid JSON: ${(e as Error).message}`);
        }
      } else add(part.name, part.data.toString('utf8'));
    }
  } else {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', `unsupported Content-Type "${type || '(none)'}": send the image as image/*, or use application/json or multipart/form-data`);
  }
  if (!image || image.length === 0) throw new LoupeError('EMPTY_FILE', 'the request carries no image', { file: 'request image' });

  const one = (k: string) => fields.get(k)?.at(-1);
  const quality = one('quality');
  const depth = one('depth');
  if (depth !== undefined && depth !== '8' && depth !== '16') throw new OptionError(`depth must be 8 or 16, got "${depth}"`);
  const q = quality === undefined ? undefined : Number(quality);
  if (q !== undefined && !(Number.isInteger(q) && q >= 1 && q <= 100)) throw new OptionError(`quality must be an integer from 1 to 100, got "${quality}"`);
  return {
    image,
    hints,
    graph,
    preset: one('preset'),
    set: (fields.get('set') ?? []).map(parseOverride),
    format: one('format') === undefined ? undefined : parseFormat(one('format')!),
    quality: q,
    depth: depth === undefined ? undefined : (Number(depth) as 8 | 16),
    output: one('output'),
  };
}

interface Part {
  name: string;
  data: Buffer;
}

/** Minimal multipart/form-data reader (RFC 7578): part names and bodies, nothing written to disk. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new HttpError(400, 'BAD_REQUEST', 'multipart body does not contain its boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.toString('latin1', pos, pos + 2) === '--') return parts;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new HttpError(400, 'BAD_REQUEST', 'malformed multipart part (no header end)');
    const headers = body.toString('utf8', pos, headerEnd);
    const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (end < 0) throw new HttpError(400, 'BAD_REQUEST', 'multipart body ends before its closing boundary');
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name !== undefined) parts.push({ name, data: body.subarray(headerEnd + 4, end) });
    pos = end + 2;
  }
}

/** Reads the body up to `max` bytes; past the limit or on abort it stops keeping data (the rest is drained). */
function readBody(req: IncomingMessage, max: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > max) {
    req.resume();
    return Promise.reject(new HttpError(413, 'BODY_TOO_LARGE', `the body is ${declared} bytes; the limit is ${max}`));
  }
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (e: Error) => {
      req.removeAllListeners('data');
      req.resume();
      fail(e);
    };
    signal.addEventListener('abort', () => stop(new HttpError(504, 'TIMEOUT', 'timed out while receiving the body')), { once: true });
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) stop(new HttpError(413, 'BODY_TOO_LARGE', `the body exceeds the limit of ${max} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function allow(req: IncomingMessage, method: string): void {
  if (req.method !== method) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `use ${method} for this route, not ${req.method}`);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  if (e instanceof HttpError) return sendJson(res, e.status, { error: { code: e.code, message: e.message } });
  const err = toLoupeError(e);
  const status = STATUS_BY_CODE[err.code] ?? 400;
  if (status >= 500) console.error(`loupe serve: ${err.message}`);
  const body = Object.fromEntries(Object.entries(err.toJSON()).filter(([, v]) => v !== undefined));
  sendJson(res, status, { error: body });
}
