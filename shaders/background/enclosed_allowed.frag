// Where the finer levels of the enclosed-region fill may grow (enclosed_grow
// with u_useRegion): within three texels of u_region (the coarse decision of
// enclosed_decide) and outside the coarse texels u_outside reached from the
// border, so a decided region is carried out to its outline, and through a
// gap in the outline too fine for the coarse level no further than the open
// backdrop. Drawn once per level at that level's size, since it does not
// change over the level's growth steps. Output: r = allowed (0/1).
uniform sampler2D u_region;
uniform sampler2D u_outside;
uniform vec2 u_region_size;
varying vec2 v_uv;

void main() {
  float near = 0.0;
  for (int dy = -3; dy <= 3; dy++)
    for (int dx = -3; dx <= 3; dx++) near = max(near, texture2D(u_region, v_uv + vec2(float(dx), float(dy)) / u_region_size).r);
  gl_FragColor = vec4(near > 0.5 && texture2D(u_outside, v_uv).r < 0.5 ? 1.0 : 0.0, 0.0, 0.0, 1.0);
}
