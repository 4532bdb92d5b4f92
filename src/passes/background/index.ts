import type { PassDefinition } from '../types.js';
import { keyPass } from './key.js';
import { cleanPass } from './clean.js';
import { replacePass } from './replace.js';

export const BACKGROUND_PASSES: PassDefinition[] = [keyPass, cleanPass, replacePass];
