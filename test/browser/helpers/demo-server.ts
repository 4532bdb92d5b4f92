import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the demo with Vite's JS API into a temporary folder (so the build
 * always holds the passes and shaders of this checkout) and serves it from
 * 127.0.0.1 on a free port.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const outDir = mkdtempSync(join(tmpdir(), 'loupe-demo-'));
  await build({
    configFile: join(REPO, 'demo/vite.config.ts'),
    root: join(REPO, 'demo'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = resolve(outDir, '.' + normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(outDir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise<void>((ok) => server.close(() => ok()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
