// Sensor noise: Gaussian, signal dependent (read noise + photon shot noise),
// mostly luminance with some chroma, from a per-seed hash of the pixel.
#include "generator/defect"
#include "generator/hash"

uniform float u_seedOffset;
uniform float u_readNoise;   // standard deviation at black
uniform float u_shotNoise;   // variance per unit signal

vec3 gaussian3(vec2 p) {
  vec3 u1 = max(hash32(p), vec3(1e-7));
  vec3 u2 = hash32(p + vec2(51.37, 17.91));
  return sqrt(-2.0 * log(u1)) * cos(6.2831853 * u2);
}

void main() {
  vec4 original = texture2D(u_image, v_uv);
  vec2 p = gl_FragCoord.xy + vec2(u_seedOffset, 0.618 * u_seedOffset);
  vec3 n = gaussian3(p);
  vec3 sigma = sqrt(u_readNoise * u_readNoise + u_shotNoise * max(original.rgb, 0.0));
  vec3 grain = sigma * (0.7 * vec3(n.x) + 0.3 * n);
  gl_FragColor = defectResult(original, original.rgb + grain, 1.0);
}
