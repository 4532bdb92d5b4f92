// Where the key treats edges as soft (defocused): most edge maxima around
// the pixel are soft (background/soft_edges.frag, box-averaged over the vote
// window). Too few edge maxima make no region: noise on a flat backdrop.
// Output r = g = soft region; b = very soft: most of its soft maxima are very
// soft (the key then uses the wider band).
// The box mean is turned back into counts of maxima; the comparisons allow a
// hundredth of a count, which absorbs the float sums' rounding (ties are
// common: 7 soft of 10) without changing which whole counts pass while the
// share is in tenths.
uniform sampler2D u_vote;   // box mean of soft_edges: r = soft maxima, g = all maxima, b = very soft maxima
uniform float u_area;       // texels in the vote window
uniform float u_minEdges;   // edge maxima the window must hold
uniform float u_softShare;  // share of those that must be soft (and of the soft ones very soft)
varying vec2 v_uv;

const float COUNT_SLACK = 0.01;

void main() {
  vec3 count = texture2D(u_vote, v_uv).rgb * u_area;
  float soft = count.g >= u_minEdges - COUNT_SLACK && count.r >= u_softShare * count.g - COUNT_SLACK ? 1.0 : 0.0;
  float verySoft = soft > 0.5 && count.b >= u_softShare * count.r - COUNT_SLACK ? 1.0 : 0.0;
  gl_FragColor = vec4(soft, soft, verySoft, 1.0);
}
