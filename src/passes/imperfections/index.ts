import { detectPass } from './detect.js';
import { fillPass } from './fill.js';
import { healPass } from './heal.js';
import { smudgesPass } from './smudges.js';

/** The imperfection family: detect, fill, and both in one node with manual spots; smudge removal. */
export const IMPERFECTION_PASSES = [detectPass, fillPass, healPass, smudgesPass];
