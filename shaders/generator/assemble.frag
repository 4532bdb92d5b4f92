// Puts the piece together: the chain on the table, the ring over it and the
// pendant in front. Each was drawn over its own tile of the frame (rect =
// top-left pixel and size; zero size when absent).
// u_layer 0: premultiplied colour + alpha of the whole piece.
// u_layer 1: r = visible chain (thin), g = gem coverage, b = glints,
//            a = contact-shadow factor.
uniform sampler2D u_chain;
uniform sampler2D u_chainMasks;
uniform sampler2D u_ring;
uniform sampler2D u_ringMasks;
uniform sampler2D u_pendant;
uniform sampler2D u_pendantMasks;
uniform vec4 u_chainRect;
uniform vec4 u_ringRect;
uniform vec4 u_pendantRect;
uniform int u_layer;

bool inTile(vec4 rect, out vec2 uv) {
  vec2 local = gl_FragCoord.xy - rect.xy;
  uv = local / max(rect.zw, vec2(1.0));
  return all(greaterThanEqual(local, vec2(0.0))) && all(lessThan(local, rect.zw));
}

void main() {
  vec2 uv;
  vec4 ring = vec4(0.0);
  vec4 ringMasks = vec4(0.0, 0.0, 0.0, 1.0);
  if (inTile(u_ringRect, uv)) {
    ring = texture2D(u_ring, uv);
    ringMasks = texture2D(u_ringMasks, uv);
  }
  vec4 pendant = vec4(0.0);
  vec4 pendantMasks = vec4(0.0, 0.0, 0.0, 1.0);
  if (inTile(u_pendantRect, uv)) {
    pendant = texture2D(u_pendant, uv);
    pendantMasks = texture2D(u_pendantMasks, uv);
  }
  vec4 chain = vec4(0.0);
  vec4 chainMasks = vec4(0.0, 0.0, 0.0, 1.0);
  if (inTile(u_chainRect, uv)) {
    chain = texture2D(u_chain, uv);
    chainMasks = texture2D(u_chainMasks, uv);
  }

  if (u_layer == 0) {
    vec4 c = ring + (1.0 - ring.a) * chain;
    gl_FragColor = pendant + (1.0 - pendant.a) * c;
    return;
  }
  float underPendant = 1.0 - pendant.a;
  float thin = chainMasks.r * (1.0 - ring.a) * underPendant;
  float gem = ringMasks.g * underPendant + pendantMasks.g;
  float glint = max(max(ringMasks.b * underPendant, pendantMasks.b), chainMasks.b * (1.0 - ring.a) * underPendant);
  gl_FragColor = vec4(thin, min(gem, 1.0), glint, chainMasks.a * ringMasks.a * pendantMasks.a);
}
