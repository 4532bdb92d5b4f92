// Exact texel access by integer coordinates, clamped to the edge, and a
// bilinear interpolation done by hand from four such fetches. Results then do
// not depend on the GPU's texture filtering precision, so float64 CPU
// references can mirror them. Texel (i, j) has its centre at (i + 0.5, j + 0.5).

// The texel this fragment writes (row 0 = top row, as everywhere in Loupe).
vec2 currentTexel() {
  return floor(gl_FragCoord.xy);
}

vec4 texelAt(sampler2D tex, vec2 size, vec2 texel) {
  vec2 t = clamp(texel, vec2(0.0), size - 1.0);
  return texture2D(tex, (t + 0.5) / size);
}

// pos: continuous texel coordinates.
vec4 bilinearAt(sampler2D tex, vec2 size, vec2 pos) {
  vec2 t = pos - 0.5;
  vec2 i0 = floor(t);
  vec2 f = t - i0;
  vec4 top = mix(texelAt(tex, size, i0), texelAt(tex, size, i0 + vec2(1.0, 0.0)), f.x);
  vec4 bottom = mix(texelAt(tex, size, i0 + vec2(0.0, 1.0)), texelAt(tex, size, i0 + vec2(1.0, 1.0)), f.x);
  return mix(top, bottom, f.y);
}

// Samples a coarser image that covers the same area (e.g. a pyramid level) at
// the centre of the current texel of an output of size `outSize`.
vec4 bilinearCovering(sampler2D tex, vec2 size, vec2 outSize) {
  return bilinearAt(tex, size, (currentTexel() + 0.5) * size / outSize);
}
