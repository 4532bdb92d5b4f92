// One piece of jewelry (RING or PENDANT defined by the including file) and
// its gem, drawn over that piece's tile of the frame (u_tileOrigin: tile's
// top-left pixel). COLOR_PASS: premultiplied colour + true alpha from 2x2
// samples. Otherwise the mask pass: r = 0, g = gem coverage (the stone's
// silhouette), b = glints, a = contact-shadow factor on the table.
#include "generator/hash"
#include "generator/scene"

#define SAMPLES 4

#ifdef RING
float objectSdf(vec3 p) { return sdRing(p); }
const vec3 METAL = GOLD;
vec3 gemCenter() { return ringGemCenter(); }
const float GEM_RADIUS = RING_GEM_R;
float gemYaw() { return u_ringYaw; }
const float GEM_IOR = 2.42;                          // diamond
const vec3 GEM_ABSORB = vec3(0.02, 0.02, 0.03);
const float GEM_OPEN_BACK = 1.0;                     // the backdrop shows through
const float GEM_INDEX = 0.0;                         // varies the glints per stone
vec4 objectBound() { return vec4(u_ringXY, ringCenterZ() + 0.25, RING_R + 0.8); }
#else
float objectSdf(vec3 p) { return sdPendant(p); }
const vec3 METAL = SILVER;
vec3 gemCenter() { return pendantGemCenter(); }
const float GEM_RADIUS = PENDANT_GEM_R;
float gemYaw() { return u_pendantYaw; }
const float GEM_IOR = 1.77;                          // sapphire
const vec3 GEM_ABSORB = vec3(2.6, 1.3, 0.12);
const float GEM_OPEN_BACK = 0.0;                     // closed bezel: metal behind the stone
const float GEM_INDEX = 1.0;
vec4 objectBound() { return vec4(u_pendantXY + rot(vec2(0.0, 0.3), u_pendantYaw), 0.0, 0.9); }
#endif

vec3 objectNormal(vec3 p) {
  const float eps = 0.002;
  vec2 k = vec2(1.0, -1.0);
  return normalize(k.xyy * objectSdf(p + k.xyy * eps) + k.yyx * objectSdf(p + k.yyx * eps) +
                   k.yxy * objectSdf(p + k.yxy * eps) + k.xxx * objectSdf(p + k.xxx * eps));
}

// Parameter range [t0, t1] where a ray meets a sphere (t1 < t0: missed).
vec2 sphereRange(vec3 ro, vec3 rd, vec3 c, float r) {
  vec3 oc = ro - c;
  float b = dot(oc, rd);
  float h = b * b - dot(oc, oc) + r * r;
  if (h < 0.0) return vec2(1e9, -1e9);
  h = sqrt(h);
  return vec2(-b - h, -b + h);
}

// The gem in its local frame (girdle centre, unit radius, yaw removed).
void gemLocalRay(vec3 ro, vec3 rd, out vec3 roL, out vec3 rdL) {
  roL = (ro - gemCenter()) / GEM_RADIUS;
  roL.xy = rot(roL.xy, -gemYaw());
  rdL = rd;
  rdL.xy = rot(rdL.xy, -gemYaw());
}

// World distance to the gem along a ray, 1e9 when it misses; its entry normal.
float gemHit(vec3 ro, vec3 rd, out vec3 nIn) {
  vec3 roL; vec3 rdL;
  gemLocalRay(ro, rd, roL, rdL);
  float tIn; float tOut; vec3 nOut;
  gemIntersect(roL, rdL, tIn, tOut, nIn, nOut);
  return (tIn < tOut && tIn > 0.0) ? tIn * GEM_RADIUS : 1e9;
}

// Star-shaped sparkle of a gem facet: a tight core and four thin spikes.
float star(vec2 d, float angle, float size) {
  d = rot(d, angle);
  float core = exp(-dot(d, d) / (2.0 * 0.7 * 0.7 * size * size));
  float thinW = 2.0 * 0.35 * 0.35 * size * size;
  float len = 2.5 * size;
  float spikes = exp(-abs(d.x) / len - d.y * d.y / thinW) + exp(-abs(d.y) / len - d.x * d.x / thinW);
  return core + 0.5 * spikes;
}

// Glints: a few facet centres and table corners, chosen by the seed, flash
// towards the lens. Light to add where the gem covers the pixel.
vec3 gemGlints(vec2 pix) {
  float size = max(u_pixelScale, 0.75);
  vec3 sum = vec3(0.0);
  vec2 cs = vec2(1.0, 0.0);
  const float C225 = 0.92387953; const float S225 = 0.38268343;
  for (int k = 0; k < 16; k++) {
    vec3 h = hash32(vec2(float(k) + 17.0 * GEM_INDEX, u_seedOffset));
    // Even k: bezel facet centres; odd k: corners of the table.
    vec3 local = mod(float(k), 2.0) < 0.5 ? vec3(0.78 * cs, 0.12) : vec3(0.57 * cs, 0.3);
    local.xy = rot(local.xy, gemYaw());
    vec2 q = projectToPixels(gemCenter() + GEM_RADIUS * local);
    float amount = step(0.68, h.x) * (1.5 + 2.5 * h.y) * star(pix - q, h.z * PI, size);
    // A little dispersion ("fire") tints some glints.
    vec3 tint = mix(vec3(1.0), 0.5 + 0.5 * cos(2.0 * PI * (h.z + vec3(0.0, 0.33, 0.67))), 0.25 * step(0.5, h.y));
    sum += amount * tint;
    cs = vec2(cs.x * C225 - cs.y * S225, cs.y * C225 + cs.x * S225);
  }
  return sum;
}

// Rotated-grid 2x2 pattern: four distinct x and y positions per pixel.
vec2 sampleOffset(int i) {
  float fi = float(i);
  vec2 o = vec2(mod(fi, 2.0) - 0.5, floor(fi / 2.0) - 0.5) * 0.5;
  return o + vec2(o.y, -o.x) * 0.5;
}

#ifdef COLOR_PASS
void main() {
  vec2 pix = gl_FragCoord.xy + u_tileOrigin;
  vec3 ro = u_camPos;
  float pxA = 2.0 * u_tanHalfFov / u_frameSize.y;   // radians per pixel
  vec4 bound = objectBound();

  float metalCover = 0.0;
  float gemCover = 0.0;
  float gemOverMetal = 0.0;   // gem samples whose ray goes on to hit metal
  // One representative ray of each kind, shaded once for the pixel.
  vec3 metalPoint = vec3(0.0);
  vec3 metalRay = vec3(0.0, 0.0, -1.0);
  float metalFound = 0.0;
  vec3 gemRay = vec3(0.0, 0.0, -1.0);
  vec3 gemNormal = vec3(0.0, 0.0, 1.0);
  float gemT = 0.0;
  vec3 edgePoint = vec3(0.0);
  vec3 edgeRay = vec3(0.0, 0.0, -1.0);
  float edgeCover = 0.0;

  for (int i = 0; i < SAMPLES; i++) {
    vec3 rd = cameraRay(pix + sampleOffset(i));
    vec2 range = sphereRange(ro, rd, bound.xyz, bound.w);
    float t = max(range.x, 0.0);
    bool hit = false;
    float nearest = 1e9;   // closest approach of a missing ray, in pixels
    float tNearest = t;
    for (int n = 0; n < MARCH_STEPS; n++) {
      if (t > range.y) break;
      float d = objectSdf(ro + rd * t);
      float footprint = pxA * t;
      if (d < 0.2 * footprint) { hit = true; break; }
      if (d < nearest * footprint) { nearest = d / footprint; tNearest = t; }
      t += d;
    }
    vec3 nIn;
    float tg = gemHit(ro, rd, nIn);
    if (tg < (hit ? t : 1e9)) {
      gemCover += 1.0;
      gemRay = rd; gemNormal = nIn; gemT = tg;
      if (hit) {
        // What shows through the stone here is the setting, not the backdrop.
        gemOverMetal += 1.0;
        if (metalFound < 0.5) { metalPoint = ro + rd * t; metalRay = rd; }
      }
    } else if (hit) {
      metalCover += 1.0;
      metalPoint = ro + rd * t; metalRay = rd; metalFound = 1.0;
    } else {
      // A ray grazing the silhouette covers part of its sample's footprint
      // (half a pixel): soft, area-like edges from few samples.
      float edge = clamp(0.5 - 2.0 * nearest, 0.0, 0.5);
      if (edge > edgeCover) { edgePoint = ro + rd * tNearest; edgeRay = rd; }
      metalCover += edge;
      edgeCover = max(edgeCover, edge);
    }
  }
  metalCover /= float(SAMPLES);
  gemCover /= float(SAMPLES);
  gemOverMetal /= float(SAMPLES);

  if (metalFound < 0.5 && gemOverMetal == 0.0) { metalPoint = edgePoint; metalRay = edgeRay; }
  vec3 metal = toneMap(shadeMetal(metalRay, objectNormal(metalPoint), METAL));

  vec3 roL; vec3 rdL;
  gemLocalRay(ro, gemRay, roL, rdL);
  vec3 gemColor; float seeThrough;
  shadeGem(roL, rdL, gemT / GEM_RADIUS, gemNormal, GEM_IOR, GEM_ABSORB, GEM_OPEN_BACK, gemYaw(), gemColor, seeThrough);

  // Glints add light on the stone only, never outside it.
  vec3 glint = min(gemGlints(pix) * gemCover, vec3(1.0));
  // Colour may exceed alpha on a see-through stone: its reflections add to
  // the backdrop it lets through (clean = colour + (1 - alpha) * backdrop).
  // Shading runs for every pixel (see scene.glsl); select, never multiply, so
  // a meaningless result where a kind is absent cannot leak in as NaN.
  vec3 color = (metalCover > 0.0 ? metalCover * metal : vec3(0.0)) + glint;
  float alpha = metalCover;
  if (gemCover > 0.0) {
    // Light through the stone: the backdrop (left to compositing, so alpha
    // drops) or, where the setting lies behind it, that metal (opaque).
    color += gemCover * toneMap(gemColor) + gemOverMetal * seeThrough * metal;
    alpha += gemCover - (gemCover - gemOverMetal) * seeThrough;
  }
  gl_FragColor = vec4(min(color, vec3(1.0)), alpha);
}
#else
// Occlusion of the table by the piece above it: a soft contact shadow.
float contactShadow(vec2 pix) {
  vec3 rd = cameraRay(pix);
  vec3 p = u_camPos + rd * (-u_camPos.z / min(rd.z, -1e-4));
  float occlusion = 0.0;
  float weight = 1.0;
  for (int i = 1; i <= 5; i++) {
    float h = 0.025 * float(i * i) + 0.01;
    occlusion += weight * max(h - objectSdf(p + vec3(0.0, 0.0, h)), 0.0) / h;
    weight *= 0.7;
  }
  return 1.0 - min(0.45 * occlusion, 0.7);
}

void main() {
  vec2 pix = gl_FragCoord.xy + u_tileOrigin;
  float gemCover = 0.0;
  for (int i = 0; i < SAMPLES; i++) {
    vec3 nIn;
    if (gemHit(u_camPos, cameraRay(pix + sampleOffset(i)), nIn) < 1e8) gemCover += 1.0 / float(SAMPLES);
  }
  float glint = dot(min(gemGlints(pix) * gemCover, vec3(1.0)), vec3(0.2126, 0.7152, 0.0722));
  gl_FragColor = vec4(0.0, gemCover, clamp(glint / 0.2, 0.0, 1.0), contactShadow(pix));
}
#endif
