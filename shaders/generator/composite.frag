// The clean catalogue image: the piece over its backdrop,
// clean = colour + (1 - alpha) * backdrop * contact shadow, so the alpha
// layer is the exact matte of this image.
uniform sampler2D u_piece;      // premultiplied colour + alpha
uniform sampler2D u_backdrop;
uniform sampler2D u_structure;  // a = contact-shadow factor
uniform int u_shadowOn;
varying vec2 v_uv;

void main() {
  vec4 piece = texture2D(u_piece, v_uv);
  vec3 backdrop = texture2D(u_backdrop, v_uv).rgb;
  float shadow = u_shadowOn == 1 ? texture2D(u_structure, v_uv).a : 1.0;
  gl_FragColor = vec4(clamp(piece.rgb + (1.0 - piece.a) * backdrop * shadow, 0.0, 1.0), 1.0);
}
