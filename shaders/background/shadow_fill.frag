// Shadow layer: the smoothed darkening (shadow_pack, blurred), minus a noise
// floor, as a mask (r = g = b = opacity of the darkening, a = 1). Darkening
// no deeper than the open backdrop's own texture (u_ownFactor times its RMS
// away from the piece: concrete's mottling, a cloth's folds) is the
// backdrop's, not a contact shadow, and fades out (fully below it, kept
// from twice it).
uniform sampler2D u_packed; // blurred (s * w, 0, 0, w)
uniform float u_threshold;  // darkening below this is backdrop noise, not shadow
uniform sampler2D u_stats;  // 1x1 (sum s^2, 0, 0, count): shadow_stats summed
uniform float u_ownFactor; // how many RMS of the open backdrop's darkening are its own
varying vec2 v_uv;

void main() {
  vec4 p = texture2D(u_packed, v_uv);
  float s = p.a > 1e-5 ? p.r / p.a : 0.0;
  vec4 stats = texture2D(u_stats, vec2(0.5));
  float own = u_ownFactor * sqrt(stats.r / max(stats.a, 1.0));
  float shadow = smoothstep(own, 2.0 * own + 1e-6, s);
  s = shadow * max(s - u_threshold, 0.0) / (1.0 - u_threshold);
  gl_FragColor = vec4(vec3(s), 1.0);
}
