import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shaders/ folder of this package. */
export const SHADER_DIR = fileURLToPath(new URL('../../shaders/', import.meta.url));

/** Every .frag/.vert/.glsl under shaders/, keyed by path relative to it (the browser build sees the same keys). */
export function readShaderFiles(dir = SHADER_DIR): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(frag|vert|glsl)$/.test(e.name)) out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
