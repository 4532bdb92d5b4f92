/** Quality metrics against ground truth, float64 on CpuImages (no GPU). */
export * from './color.js';
export * from './mask.js';
export * from './fidelity.js';
export * from './matting.js';
export * from './scene.js';
export * from './sharpness.js';
