import { detectPass } from './detect.js';
import { fillPass } from './fill.js';
import { healPass } from './heal.js';

/** The imperfection family: detect, fill, and both in one node with manual spots. */
export const IMPERFECTION_PASSES = [detectPass, fillPass, healPass];
