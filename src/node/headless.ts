import { createRequire } from 'node:module';
import createREGL from 'regl';
import { Engine } from '../engine/engine.js';
import { ShaderLibrary } from '../gpu/shader-library.js';
import { OPTIONAL_EXTENSIONS } from '../gpu/capabilities.js';
import type { PassRegistry } from '../passes/registry.js';
import { ensureDisplay, GpuUnavailableError } from './display.js';
import { readShaderFiles } from './shader-files.js';

const require = createRequire(import.meta.url);
let shared: Promise<Engine> | undefined;

/**
 * The process-wide headless engine. headless-gl 8 leaks a surface per context,
 * so one context serves every image this process renders.
 */
export function getHeadlessEngine(): Promise<Engine> {
  shared ??= createHeadlessEngine().catch((e) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

/** Creates a new headless-gl engine (prefer getHeadlessEngine). */
export async function createHeadlessEngine(registry?: PassRegistry): Promise<Engine> {
  await ensureDisplay();
  let createGL: (w: number, h: number, o?: object) => WebGLRenderingContext | null;
  try {
    createGL = require('gl');
  } catch (e) {
    throw new GpuUnavailableError(
      `headless-gl (npm "gl") is not built: ${(e as Error).message.split('\n')[0]}\n` +
        'Install its build dependencies with `apt-get install python3 make g++ pkg-config libxi-dev libxext-dev libx11-dev` and run `npm rebuild gl` (or `npm run setup`).',
    );
  }
  const gl = createGL(1, 1, { preserveDrawingBuffer: true, antialias: false, depth: false, stencil: false, premultipliedAlpha: false });
  if (!gl)
    throw new GpuUnavailableError(
      `headless-gl could not create a WebGL context on display ${process.env.DISPLAY}. Check that the X server is running and Mesa (libgl1-mesa-dri) is installed.` +
        (process.env.__GLX_VENDOR_LIBRARY_NAME === 'nvidia' ? ' The NVIDIA GLX library was asked for: set __GLX_VENDOR_LIBRARY_NAME=mesa to render on the CPU instead.' : ''),
    );
  const regl = createREGL({ gl, optionalExtensions: OPTIONAL_EXTENSIONS });
  return new Engine(regl, gl, new ShaderLibrary(readShaderFiles()), registry);
}
