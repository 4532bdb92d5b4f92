/**
 * Presets are graph JSON files (src/presets/<name>.json), the same format the
 * demo exports and `loupe retouch --graph` reads. This module only parses
 * them, with no file-system access, so the Node loader (src/api/presets.ts)
 * and a browser loader (import.meta.glob over the same folder) share it.
 */
import type { GraphSpec } from '../graph/types.js';

export interface Preset {
  /** File name without ".json": what `--preset` and `?preset=` take. */
  name: string;
  description: string;
  graph: GraphSpec;
  /** Where it came from (a path or bundler key), for error messages. */
  source: string;
}

/** A preset file that is not a graph; the other presets still load. */
export interface PresetProblem {
  source: string;
  message: string;
}

export interface ParsedPresets {
  presets: Map<string, Preset>;
  problems: PresetProblem[];
}

/** Names usable on a command line and in a URL; also keeps request input from ever naming a path. */
export const PRESET_NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * Parses preset files given as { "<path or key ending in name.json>": "<JSON text>" }.
 * Files that do not end in .json are ignored; broken ones are reported in
 * `problems` (one bad file must not hide every other preset).
 */
export function parsePresets(files: Record<string, string>): ParsedPresets {
  const presets = new Map<string, Preset>();
  const problems: PresetProblem[] = [];
  for (const [source, text] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    const name = /([^/\\]+)\.json$/i.exec(source)?.[1];
    if (!name) continue;
    if (!PRESET_NAME.test(name)) {
      problems.push({ source, message: `preset name "${name}" must be letters, digits, "-" or "_"` });
      continue;
    }
    let graph: unknown;
    try {
      graph = JSON.parse(text);
    } catch (e) {
      problems.push({ source, message: `not valid JSON: ${(e as Error).message}` });
      continue;
    }
    if (typeof graph !== 'object' || graph === null || !Array.isArray((graph as GraphSpec).nodes) || typeof (graph as GraphSpec).outputs !== 'object') {
      problems.push({ source, message: 'not a graph: expected an object with "nodes" and "outputs"' });
      continue;
    }
    const spec = graph as GraphSpec;
    presets.set(name, { name, description: typeof spec.description === 'string' ? spec.description : (spec.name ?? ''), graph: spec, source });
  }
  return { presets, problems };
}
