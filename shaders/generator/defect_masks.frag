// Gathers the masks of up to four defect stages (each stage keeps its mask in
// alpha, see defect.glsl) into the channels of one image for a single readback.
// An unbound input reads as zero.
uniform sampler2D u_stage0;
uniform sampler2D u_stage1;
uniform sampler2D u_stage2;
uniform sampler2D u_stage3;
varying vec2 v_uv;

void main() {
  gl_FragColor = vec4(texture2D(u_stage0, v_uv).a, texture2D(u_stage1, v_uv).a, texture2D(u_stage2, v_uv).a, texture2D(u_stage3, v_uv).a);
}
