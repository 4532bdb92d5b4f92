import { PassRegistry } from './registry.js';
import type { PassDefinition } from './types.js';
import { colorConvertPass } from './core/color.js';
import { gaussianBlurPass } from './core/gaussian.js';
import { blendPass } from './core/blend.js';
import { FREQUENCY_PASSES } from './frequency/index.js';
import { DETAIL_PASSES } from './detail/index.js';
import { GLARE_PASSES } from './glare/index.js';
import { LIGHT_PASSES } from './light/index.js';
import { BACKGROUND_PASSES } from './background/index.js';
import { IMPERFECTION_PASSES } from './imperfections/index.js';

/** Every built-in pass. Each family module adds its list here. */
export const BUILTIN_PASSES: PassDefinition[] = [colorConvertPass, gaussianBlurPass, blendPass, ...FREQUENCY_PASSES, ...DETAIL_PASSES, ...GLARE_PASSES, ...LIGHT_PASSES, ...BACKGROUND_PASSES, ...IMPERFECTION_PASSES];

export function createDefaultRegistry(): PassRegistry {
  return new PassRegistry(BUILTIN_PASSES);
}
