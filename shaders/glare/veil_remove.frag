// Veiling glare removal: the veil is the scattered source light (blurred by the
// lens's point spread tail) times the veil amount; subtracting it from the raw
// image gives the next glare-free estimate. Stays >= 0.
uniform sampler2D u_image;       // raw image
uniform sampler2D u_scattered;   // Gaussian blur of veil_source
uniform float u_veil;
varying vec2 v_uv;

void main() {
  vec4 raw = texture2D(u_image, v_uv);
  gl_FragColor = vec4(max(raw.rgb - u_veil * texture2D(u_scattered, v_uv).rgb, 0.0), raw.a);
}
