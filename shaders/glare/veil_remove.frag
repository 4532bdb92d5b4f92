// Veiling glare removal: the veil is the scattered source light (blurred by the
// lens's point spread tail) times the veil amount; subtracting it from the raw
// image gives the next glare-free estimate. Stays >= 0. With u_autoVeil the
// amount is the least-squares slope from the 1x1 sums of veil_stats.
uniform sampler2D u_image;       // raw image
uniform sampler2D u_scattered;   // Gaussian blur of veil_source
uniform sampler2D u_statsA;      // 1x1: (sum w, sum w s, sum w i, sum w s^2)
uniform sampler2D u_statsB;      // 1x1: (sum w s i, ...)
uniform int u_autoVeil;
uniform float u_veil;
varying vec2 v_uv;

float fittedVeil() {
  vec4 a = texture2D(u_statsA, vec2(0.5));
  float swsi = texture2D(u_statsB, vec2(0.5)).r;
  float covariance = a.x * swsi - a.y * a.z;
  float variance = a.x * a.w - a.y * a.y;
  return variance > 1e-12 * a.x * a.x ? clamp(covariance / variance, 0.0, 1.0) : 0.0;
}

void main() {
  vec4 raw = texture2D(u_image, v_uv);
  float amount = u_autoVeil == 1 ? fittedVeil() : u_veil;
  gl_FragColor = vec4(max(raw.rgb - amount * texture2D(u_scattered, v_uv).rgb, 0.0), raw.a);
}
