// One step of growth through backdrop-like texels (enclosed_pack's share of
// certain backdrop above 0.999 at this level): a free texel is reached when
// it or a 4-neighbour was (a piece's outline, even one texel thick and
// diagonal, stops a 4-connected growth). With u_border the free texels on
// the image border are seeds (u_border 2: the first step, seeds only): the
// growth then finds the backdrop connected to the open backdrop around the
// shot. With u_useRegion a texel is reached only where u_allowed
// (enclosed_allowed at this level) lets it: the finer levels carry a decided
// region out to its outline. u_reached may be coarser than this level (the
// decision carried down one level). Output: r = reached (0/1).
uniform sampler2D u_reached;
uniform sampler2D u_free;     // enclosed_pack at this level
uniform sampler2D u_allowed;
uniform vec2 u_free_size;
uniform int u_border;
uniform int u_useRegion;
varying vec2 v_uv;

bool reachedAt(vec2 offset) {
  return texture2D(u_reached, v_uv + offset / u_free_size).r > 0.5;
}

void main() {
  bool free = texture2D(u_free, v_uv).r > 0.999;
  vec2 texel = v_uv * u_free_size;
  bool border = texel.x < 1.0 || texel.y < 1.0 || texel.x > u_free_size.x - 1.0 || texel.y > u_free_size.y - 1.0;
  bool reached = (u_border > 0 && border) || u_border < 2 && (reachedAt(vec2(0.0)) || reachedAt(vec2(1.0, 0.0)) || reachedAt(vec2(-1.0, 0.0))
                 || reachedAt(vec2(0.0, 1.0)) || reachedAt(vec2(0.0, -1.0)));
  if (u_useRegion == 1) reached = reached && texture2D(u_allowed, v_uv).r > 0.5;
  gl_FragColor = vec4(free && reached ? 1.0 : 0.0, 0.0, 0.0, 1.0);
}
