// The fine chain, over its tile (the strands' bounding box): a tube of 1-3 px along a polyline in pixels,
// links modulating its width and shine, some links glinting.
// u_layer 0: premultiplied colour + coverage.
// u_layer 1: r = coverage, g = 0, b = glints, a = its contact-shadow factor.
#include "generator/hash"
#include "generator/scene"

uniform int u_layer;

void main() {
  vec2 pix = gl_FragCoord.xy + u_tileOrigin;
  float dist; float arc; vec2 along; float side;
  chainNearest(pix, dist, arc, along, side);
  float period = linkPeriod();

  // Coverage from the 2x2 sample pattern; locally the strand is straight,
  // so each sample offsets the pixel centre's nearest point.
  float cover = 0.0;
  for (int i = 0; i < 4; i++) {
    float fi = float(i);
    vec2 o = vec2(mod(fi, 2.0) - 0.5, floor(fi / 2.0) - 0.5) * 0.5;
    o += vec2(o.y, -o.x) * 0.5;
    float s = side + along.x * o.y - along.y * o.x;
    float phase = fract((arc + dot(along, o)) / period);
    float halfWidth = 0.5 * u_chainWidth * (1.0 + 0.15 * cos(2.0 * PI * phase));
    cover += 0.25 * clamp(halfWidth - abs(s) + 0.5, 0.0, 1.0);
  }
  if (u_chainCount < 2) cover = 0.0;

  float phase = fract(arc / period);
  float link = floor(arc / period);
  float size = max(u_pixelScale, 0.75);
  float da = (phase - 0.5) * period;
  float glint = cover * step(0.9, hash12(vec2(link + 0.5, u_seedOffset + 3.7))) *
                min(2.0 * exp(-(da * da + dist * dist) / (2.0 * 0.8 * 0.8 * size * size)), 1.0);

  if (u_layer == 1) {
    float shadow = u_chainCount < 2 ? 1.0 : 1.0 - 0.3 * exp(-pow(dist / (1.2 * u_chainWidth), 2.0));
    gl_FragColor = vec4(cover, 0.0, clamp(glint / 0.2, 0.0, 1.0), shadow);
    return;
  }
  // Tube cross-section normal, tilted per link so links catch light unevenly.
  float halfWidth = 0.5 * u_chainWidth * (1.0 + 0.15 * cos(2.0 * PI * phase));
  vec3 upFlat = normalize(vec3(u_camUp.xy, 0.0));
  vec3 across = normalize(-along.y * u_camRight + along.x * upFlat);
  vec3 alongW = normalize(along.x * u_camRight - along.y * upFlat);
  float u = clamp(side / max(halfWidth, 0.5), -1.0, 1.0);
  float tilt = hash12(vec2(link, u_seedOffset)) - 0.5;
  vec3 n = normalize(u * across + sqrt(1.0 - u * u) * vec3(0.0, 0.0, 1.0) + (0.8 * tilt + 0.5 * cos(PI * phase)) * alongW);
  vec3 c = shadeMetal(cameraRay(pix), n, SILVER) * (0.55 + 0.45 * sin(PI * phase));
  gl_FragColor = vec4(min(cover * toneMap(c) + vec3(glint), vec3(cover)), cover);
}
