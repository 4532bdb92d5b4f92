import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The GPU context could not be created; the message says what to install or set. */
export class GpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuUnavailableError';
  }
}

let xvfb: ChildProcess | undefined;

/** What decides the GLX vendor under our own Xvfb (injected in tests). */
export interface GlxFacts {
  /** The NVIDIA driver's control device exists (/dev/nvidiactl). */
  nvidiaDevice: boolean;
  /** The dynamic linker knows NVIDIA's GLX library (libGLX_nvidia.so.0). */
  nvidiaGlx: boolean;
}

/**
 * The GLX vendor to ask glvnd for, or undefined to leave its choice alone.
 * Xvfb's own GLX is Mesa's, so glvnd would give every context to llvmpipe,
 * a CPU rasterizer, even on a machine with an NVIDIA GPU. NVIDIA's GLX
 * library renders on the GPU under Xvfb (measured on an H100: a heavy
 * fragment loop 10x faster than llvmpipe on 16 cores, the keyer 65x faster
 * than on 2; docs/benchmarks.md). An explicit __GLX_VENDOR_LIBRARY_NAME
 * (e.g. "mesa" to force the CPU) always wins.
 */
export function glxVendorFor(env: NodeJS.ProcessEnv, facts: GlxFacts): string | undefined {
  if (env.__GLX_VENDOR_LIBRARY_NAME) return undefined;
  return facts.nvidiaDevice && facts.nvidiaGlx ? 'nvidia' : undefined;
}

function probeGlxFacts(): GlxFacts {
  const nvidiaDevice = existsSync('/dev/nvidiactl');
  if (!nvidiaDevice) return { nvidiaDevice, nvidiaGlx: false };
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig']) {
    try {
      return { nvidiaDevice, nvidiaGlx: execFileSync(ldconfig, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('libGLX_nvidia.so.0') };
    } catch {
      // not on PATH: try the next
    }
  }
  return { nvidiaDevice, nvidiaGlx: false };
}

/**
 * headless-gl needs an X display on Linux. When DISPLAY is unset we start a
 * private Xvfb, let it pick a free display number (-displayfd), and stop it
 * when the process exits.
 */
export async function ensureDisplay(): Promise<void> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return;
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '64x64x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new GpuUnavailableError(`Xvfb did not start within 10 s${err ? `: ${err.trim()}` : ''}`)), 10_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new GpuUnavailableError(
          e.code === 'ENOENT'
            ? 'no X display: DISPLAY is not set and Xvfb is not installed. Install it with `apt-get install xvfb` (or run `npm run setup`), or set DISPLAY to a running X server.'
            : `could not start Xvfb: ${e.message}`,
        ),
      );
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new GpuUnavailableError(`Xvfb exited with code ${code} before it was ready${err ? `: ${err.trim()}` : ''}`));
    });
    child.stderr!.on('data', (d) => (err += d));
    child.stdio[3]!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(`:${out.trim()}`);
      }
    });
  });
  child.removeAllListeners('exit');
  // Do not keep the event loop alive for Xvfb; stop it when we exit.
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  (child.stdio[3] as unknown as { unref?: () => void }).unref?.();
  xvfb = child;
  process.env.DISPLAY = display;
  const vendor = glxVendorFor(process.env, probeGlxFacts());
  if (vendor) process.env.__GLX_VENDOR_LIBRARY_NAME = vendor;
  process.once('exit', stopDisplay);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      stopDisplay();
      process.kill(process.pid, sig);
    });
  }
}

export function stopDisplay(): void {
  if (xvfb && xvfb.exitCode === null) xvfb.kill('SIGTERM');
  xvfb = undefined;
}
