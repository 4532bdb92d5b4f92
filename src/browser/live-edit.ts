import type { Engine } from '../engine/engine.js';
import { ShaderLibrary, checkCompiles } from '../gpu/shader-library.js';

/**
 * Installs new text for any file under shaders/ (a pass's .frag, a shared
 * chunk, the vertex shader) only if every shader that uses it still
 * compiles; otherwise throws the first ShaderCompileError (file and line of
 * the edited text) and the last good version keeps running.
 */
export function editShaderFile(engine: Engine, path: string, text: string): void {
  if (path.endsWith('.frag')) return engine.editShader(path.replace(/\.frag$/, ''), text);
  const probe = new ShaderLibrary({ ...engine.shaders.files(), [path]: text });
  const gl = engine.gl;
  if (path.endsWith('.vert')) {
    checkCompiles(gl, probe.resolve(path), gl.VERTEX_SHADER);
  } else {
    for (const name of probe.fragmentShaders()) {
      const resolved = probe.resolve(name);
      if (resolved.lineMap.some((l) => l.file === `shaders/${path}`)) checkCompiles(gl, resolved, gl.FRAGMENT_SHADER);
    }
  }
  engine.shaders.update(path, text);
  engine.renderer.invalidate();
}
