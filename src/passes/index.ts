import { PassRegistry } from './registry.js';
import type { PassDefinition } from './types.js';
import { colorConvertPass } from './core/color.js';
import { gaussianBlurPass } from './core/gaussian.js';
import { blendPass } from './core/blend.js';
import { FREQUENCY_PASSES } from './frequency/index.js';
import { DETAIL_PASSES } from './detail/index.js';

/** Every built-in pass. Each family module adds its list here. */
export const BUILTIN_PASSES: PassDefinition[] = [colorConvertPass, gaussianBlurPass, blendPass, ...FREQUENCY_PASSES, ...DETAIL_PASSES];

export function createDefaultRegistry(): PassRegistry {
  return new PassRegistry(BUILTIN_PASSES);
}
