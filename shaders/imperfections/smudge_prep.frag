// Display values of the straight colour, the working signal of the smudge stage.
#include "chunks/smudge"
uniform sampler2D u_image;
varying vec2 v_uv;

void main() {
  gl_FragColor = vec4(smudgeDisplay(texture2D(u_image, v_uv)), 1.0);
}
