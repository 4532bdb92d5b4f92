// What scatters in the lens: the bright part of the piece (of the whole image
// when no matte is known). It is blurred wide and added back as veiling glare.
uniform sampler2D u_image;
uniform sampler2D u_guide;     // a = piece alpha
uniform int u_hasGuide;
varying vec2 v_uv;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  float inside = u_hasGuide == 1 ? texture2D(u_guide, v_uv).a : 1.0;
  gl_FragColor = vec4(max(c - 0.55, 0.0) * inside, 1.0);
}
