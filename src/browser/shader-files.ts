/**
 * The shaders/ folder as the browser build sees it: Vite inlines every file
 * as a string, keyed by path relative to shaders/ (the same keys
 * src/node/shader-files.ts produces from disk).
 *
 * In dev mode an edited file arrives through Vite's hot module replacement:
 * this module accepts its own update and tells subscribers which files
 * changed, so a running engine can swap the shader without a page reload.
 */

const RAW = import.meta.glob('../../shaders/**/*.{frag,vert,glsl}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export function shaderKey(globPath: string): string {
  return globPath.replace(/^(\.\.\/)+shaders\//, '');
}

function byKey(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([path, text]) => [shaderKey(path), text]));
}

export const SHADER_FILES: Readonly<Record<string, string>> = byKey(RAW);

export type ShaderFilesListener = (changed: Record<string, string>) => void;

// Subscribers must survive the module being replaced by its hot update.
const listeners: Set<ShaderFilesListener> = import.meta.hot ? (import.meta.hot.data.listeners ??= new Set()) : new Set();

/** Called with { path: newText } for every shader file edited on disk (dev server only). */
export function onShaderFilesChanged(listener: ShaderFilesListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (import.meta.hot) {
  import.meta.hot.accept((next) => {
    const files = (next as { SHADER_FILES?: Record<string, string> } | undefined)?.SHADER_FILES;
    if (!files) return;
    const changed: Record<string, string> = {};
    for (const [path, text] of Object.entries(files)) if (SHADER_FILES[path] !== text) changed[path] = text;
    if (Object.keys(changed).length) for (const l of listeners) l(changed);
  });
}
