import { parsePresets, type Preset, type PresetProblem } from '../presets/index.js';

/**
 * Preset graphs shipped in src/presets/*.json, bundled by Vite as text and
 * parsed by the same code the Node loader uses. Graphs are not validated
 * here: call engine.validate() before use, since a preset may name a pass
 * this build does not register.
 */
const parsed = parsePresets(import.meta.glob('../presets/*.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>);

export const PRESETS: ReadonlyMap<string, Preset> = parsed.presets;
/** Preset files that could not be parsed (shown as warnings by the demo). */
export const PRESET_PROBLEMS: readonly PresetProblem[] = parsed.problems;
