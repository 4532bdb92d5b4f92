import type { PassDefinition } from '../types.js';
import { flattenPass } from './flatten.js';

export const LIGHT_PASSES: PassDefinition[] = [flattenPass];
