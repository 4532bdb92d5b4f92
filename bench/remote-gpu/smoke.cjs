// GPU check: does headless-gl get a context, and does a heavy shader run at GPU speed? (A 256-iteration
// sin/cos loop over 4096x4096, four draws: 275 ms on an H100, 2775 ms through llvmpipe on 16 cores.)
const createGL = require('gl');
const W = 4096, H = 4096;
const gl = createGL(W, H, { preserveDrawingBuffer: true });
if (!gl) { console.log('smoke: NO CONTEXT'); process.exit(2); }
console.log('smoke: renderer', gl.getParameter(gl.RENDERER), '|', gl.getParameter(gl.VERSION), '| float tex', !!gl.getExtension('OES_texture_float'), '| cbf', !!gl.getExtension('WEBGL_color_buffer_float'), '| maxTex', gl.getParameter(gl.MAX_TEXTURE_SIZE));
function sh(type, src) { const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(s)); return s; }
const p = gl.createProgram();
gl.attachShader(p, sh(gl.VERTEX_SHADER, 'attribute vec2 a; void main(){gl_Position=vec4(a,0.,1.);}'));
gl.attachShader(p, sh(gl.FRAGMENT_SHADER, 'precision highp float; void main(){ vec2 q=gl_FragCoord.xy*0.001; float s=0.; for(int i=0;i<256;i++){ s+=sin(q.x*float(i))*cos(q.y+float(i)); } gl_FragColor=vec4(fract(s),0.,0.,1.);}'));
gl.linkProgram(p); gl.useProgram(p);
const b = gl.createBuffer(); gl.bindBuffer(gl.ARRAY_BUFFER, b); gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1,-1,3,-1,-1,3]), gl.STATIC_DRAW);
gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
const px = new Uint8Array(4);
for (let k = 0; k < 2; k++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 4; i++) gl.drawArrays(gl.TRIANGLES, 0, 3);
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
  console.log(`smoke: 4 draws of 16.8 MP x 256-iteration loop: ${Number(process.hrtime.bigint() - t0) / 1e6} ms (pixel ${px})`);
}
