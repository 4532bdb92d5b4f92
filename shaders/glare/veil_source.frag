// Light that scatters in the lens into veiling glare: the part of the current
// glare-free estimate above the source level, on the piece when a matte is
// given (a bright backdrop is a source too when it is not). With u_backdrop
// it is the light off the matte instead: the backdrop's share of the veil,
// whose amount glare/veil_floor estimates.
uniform sampler2D u_image;
uniform sampler2D u_matte;
uniform int u_hasMatte;
uniform int u_backdrop;
uniform float u_sourceLevel;
varying vec2 v_uv;

void main() {
  vec3 c = texture2D(u_image, v_uv).rgb;
  float m = u_hasMatte == 1 ? texture2D(u_matte, v_uv).r : 1.0;
  gl_FragColor = vec4(max(c - u_sourceLevel, 0.0) * (u_backdrop == 1 ? 1.0 - m : m), 1.0);
}
