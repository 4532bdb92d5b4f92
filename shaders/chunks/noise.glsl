// The image's noise estimate (estimateNoise in light/illumination.ts: 1x1,
// r / a) as a relative standard deviation, snapped to steps of
// 1/NOISE_STEPS octave. The estimate is one number for the whole frame and
// the key's thresholds scale with it, so without the snap a small local edit
// (a healed speck, a retouched patch) would shift it by a hair and flip
// pixels at their thresholds far from the edit. A step (4.4 %) is finer than
// the estimate is accurate, and an edit rarely moves it across one.
const float NOISE_STEPS = 16.0;

float noiseLevel(sampler2D noisePacked) {
  vec4 n = texture2D(noisePacked, vec2(0.5));
  float level = n.r / max(n.a, 1e-6);
  if (level < 1e-6) return level;
  return exp2(floor(log2(level) * NOISE_STEPS + 0.5) / NOISE_STEPS);
}
