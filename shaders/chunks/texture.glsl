// Fine-scale edge energy (background/edge_energy) still counted as smooth
// backdrop: the textureTolerance parameter, raised to twice the image's noise
// (u_noise, 1x1 (sum, 0, 0, count)) and to TEXTURE_FACTOR times the texture
// of the open backdrop nearby (u_texture: background/texture_pack blurred,
// (e * w, 0, 0, w)). A woven cloth's own texture sits around the fixed
// tolerance, and a shadow on it is as smooth as the cloth, not smoother;
// where the backdrop is out of focus or plain paper the parameter rules.
#include "chunks/noise"

const float TEXTURE_FACTOR = 3.0;
// Noise alone gives the open backdrop an edge energy of about 0.8 of the
// noise estimate; only texture beyond that counts, so the thin, backdrop-
// bright chains of a noisy but plain shot keep the noise's tolerance.
const float NOISE_EDGE = 0.9;

float noiseTolerance(sampler2D noiseTex, float parameter) {
  return max(parameter, 2.0 * noiseLevel(noiseTex));
}

float smoothnessTolerance(sampler2D noiseTex, sampler2D textureTex, vec2 uv, float parameter) {
  vec4 t = texture2D(textureTex, uv);
  float local = t.a > 1e-3 ? t.r / t.a : 0.0;
  float beyondNoise = smoothstep(NOISE_EDGE, 1.25 * NOISE_EDGE, local / max(noiseLevel(noiseTex), 1e-6));
  return max(noiseTolerance(noiseTex, parameter), TEXTURE_FACTOR * local * beyondNoise);
}
