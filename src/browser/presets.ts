import type { GraphSpec } from '../graph/types.js';

/**
 * Preset graphs shipped in src/presets/*.json, bundled by Vite. Keys are the
 * file names without extension ("glare-cleanup" for glare-cleanup.json).
 * They are returned unvalidated: call engine.validate() before use, since a
 * preset may name a pass this build does not register.
 */
const FILES = import.meta.glob('../presets/*.json', { eager: true, import: 'default' }) as Record<string, unknown>;

export const PRESETS: Readonly<Record<string, GraphSpec>> = Object.fromEntries(
  Object.entries(FILES)
    .map(([path, graph]) => [path.replace(/^.*\/([^/]+)\.json$/, '$1'), graph as GraphSpec] as const)
    .sort(([a], [b]) => a.localeCompare(b)),
);
