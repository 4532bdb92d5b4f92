// A shot whose piece covers most of the frame's edge has no plain backdrop
// around the piece (a hand, a sleeve, a table: a lifestyle shot), and a key
// there cuts the scene into patches. So does a textured backdrop (velvet,
// wood, lace, pearls: it departs from a smooth backdrop by a large misfit)
// once the matte reaches the frame's edge at all: patches of it keyed as
// piece run out of the frame. Such a shot keeps the whole frame: the layer
// goes to what it is for an opaque frame (alpha 1, the image as the
// foreground, no shadow). Shared with wholeFrameWeight in the pass and the
// CPU reference (keepFrameRef).
uniform sampler2D u_layer;
uniform sampler2D u_cover;  // 1x1 edge_cover.frag sums
uniform sampler2D u_image;  // the frame as shot, kept where u_keepImage = 1
uniform int u_keepImage;
uniform vec4 u_keep;        // the whole frame's value otherwise
uniform float u_maxCover;
uniform float u_ramp;
uniform vec2 u_texturedCover;   // edge share ramp for a textured backdrop
uniform vec2 u_texturedMisfit;  // RMS misfit ramp that makes a backdrop textured
varying vec2 v_uv;

void main() {
  vec4 sums = texture2D(u_cover, vec2(0.5));
  float cover = sums.r / max(sums.a, 1.0);
  float misfit = sqrt(sums.g / max(sums.b, 1.0));
  float lifestyle = smoothstep(u_maxCover - u_ramp, u_maxCover, cover);
  float textured = smoothstep(u_texturedCover.x, u_texturedCover.y, cover) * smoothstep(u_texturedMisfit.x, u_texturedMisfit.y, misfit);
  float whole = max(lifestyle, textured);
  vec4 keep = u_keepImage == 1 ? texture2D(u_image, v_uv) : u_keep;
  gl_FragColor = mix(texture2D(u_layer, v_uv), keep, whole);
}
