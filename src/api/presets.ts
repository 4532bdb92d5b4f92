import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePresets, type ParsedPresets } from '../presets/index.js';

/** The built-in presets folder (src/presets/*.json). */
export const BUILTIN_PRESETS_DIR = fileURLToPath(new URL('../presets/', import.meta.url));

/** Reads every *.json in a folder (non-recursive) and parses it as a preset. Read at call time: new files appear without code changes. */
export function loadPresetsFromDir(dir: string = BUILTIN_PRESETS_DIR): ParsedPresets {
  const files: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    return { presets: new Map(), problems: [{ source: dir, message: `cannot read the presets folder: ${(e as Error).message}` }] };
  }
  for (const name of names) if (name.toLowerCase().endsWith('.json')) files[join(dir, name)] = readFileSync(join(dir, name), 'utf8');
  return parsePresets(files);
}
