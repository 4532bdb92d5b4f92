// Where the key treats edges as soft (defocused): most edge maxima around
// the pixel are soft (background/soft_edges.frag, box-averaged over the wide
// band). Too few edge maxima make no region: noise on a flat backdrop.
uniform sampler2D u_vote;   // box mean of soft_edges: r = soft maxima, g = all maxima (shares of the window)
uniform float u_minEdges;   // share of the window that must be edge maxima
uniform float u_softShare;  // share of those that must be soft
varying vec2 v_uv;

void main() {
  vec4 vote = texture2D(u_vote, v_uv);
  float soft = vote.g >= u_minEdges && vote.r >= u_softShare * vote.g ? 1.0 : 0.0;
  gl_FragColor = vec4(vec3(soft), 1.0);
}
