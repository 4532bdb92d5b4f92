import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const demoRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// `npm run dev` serves this folder; the app imports ../src and ../shaders,
// so the dev server may read the whole repository.
export default defineConfig({
  root: demoRoot,
  base: './',
  server: { fs: { allow: [repoRoot] } },
  // Pre-bundle the CommonJS dependencies at start so the first page load is not reloaded by discovery.
  optimizeDeps: { include: ['regl', 'gl-matrix'] },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2048 },
});
