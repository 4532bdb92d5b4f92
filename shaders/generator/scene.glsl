// The generator's studio scene: a camera above a table (z = 0, units cm),
// a gold ring with a brilliant-cut diamond, a silver pendant with a sapphire,
// and a fine chain. Metal is a signed distance field (sphere traced), gems are
// convex polytopes intersected analytically (so internal bounces are exact),
// and the chain is a 2D polyline in pixels (its width must be 1-3 px, whatever
// the camera). Pixel coordinates: x right, y down from the top row, which is
// gl_FragCoord.xy in this engine (row 0 = top).
//
// Speed on llvmpipe (Mesa 22): branches are masked SIMD, so a shader costs
// all of its code at every pixel and each loop as many trips as the slowest
// pixel of its group. Hence one shader per object, drawn only over that
// object's tile, and costly shading done once per pixel, not per sample.
#define PI 3.14159265
#define CHAIN_POINTS 64
#define MARCH_STEPS 90

uniform vec2 u_frameSize;       // size of the whole shot in pixels
uniform vec2 u_tileOrigin;      // top-left pixel of the tile being drawn (a part of the shot)
uniform vec3 u_camPos;
uniform vec3 u_camRight;
uniform vec3 u_camUp;
uniform vec3 u_camFwd;
uniform float u_tanHalfFov;     // vertical
uniform vec2 u_ringXY;          // where the ring stands on the table
uniform float u_ringYaw;        // rotation of the band's axis about z (radians)
uniform vec2 u_pendantXY;
uniform float u_pendantYaw;
uniform float u_chainX[CHAIN_POINTS]; // polyline vertices in pixels
uniform float u_chainY[CHAIN_POINTS];
uniform int u_chainCount;       // vertices in use (0: no chain)
uniform float u_chainWidth;     // strand width in pixels
uniform float u_seedOffset;     // varies glints and link sparkle with the seed
uniform float u_pixelScale;     // output height / 768: size of screen-space features

// ---- geometry (cm) ----
const float RING_R = 0.82;      // band circle radius (to the band's centre line)
const float BAND_T = 0.13;      // radial thickness
const float BAND_W = 0.22;      // width along the finger
const float RING_GEM_R = 0.30;  // girdle radius of the diamond
const float PENDANT_T = 0.14;   // slab thickness
const float PENDANT_GEM_R = 0.27;

float ringCenterZ() { return RING_R + BAND_T * 0.5; }
float ringGemZ() { return ringCenterZ() + RING_R + BAND_T * 0.5 + 0.15; }
vec3 ringGemCenter() { return vec3(u_ringXY, ringGemZ()); }
vec3 pendantGemCenter() { return vec3(u_pendantXY, PENDANT_T + 0.05); }

vec2 rot(vec2 p, float a) {
  float c = cos(a);
  float s = sin(a);
  return vec2(c * p.x - s * p.y, s * p.x + c * p.y);
}

// ---- camera ----
vec3 cameraRay(vec2 pix) {
  vec2 ndc = vec2(2.0 * pix.x / u_frameSize.x - 1.0, 1.0 - 2.0 * pix.y / u_frameSize.y);
  float aspect = u_frameSize.x / u_frameSize.y;
  return normalize(u_camFwd + ndc.x * aspect * u_tanHalfFov * u_camRight + ndc.y * u_tanHalfFov * u_camUp);
}

vec2 projectToPixels(vec3 w) {
  vec3 d = w - u_camPos;
  float z = dot(d, u_camFwd);
  vec2 ndc = vec2(dot(d, u_camRight), dot(d, u_camUp)) / (z * u_tanHalfFov);
  ndc.x /= u_frameSize.x / u_frameSize.y;
  return vec2((ndc.x + 1.0) * 0.5 * u_frameSize.x, (1.0 - ndc.y) * 0.5 * u_frameSize.y);
}

// ---- studio environment: softboxes, strip lights, a black flag, white table ----
float softRect(vec3 d, vec3 c, vec3 t1, vec2 halfSize, float soft) {
  float dc = dot(d, c);
  if (dc <= 0.0) return 0.0;
  vec3 t2 = cross(c, t1);
  vec2 xy = vec2(dot(d, t1), dot(d, t2)) / dc;
  vec2 e = smoothstep(halfSize + soft, halfSize - soft, abs(xy));
  // Softboxes are brighter in the middle than at the edges, and feathered
  // along t2 so flat polished surfaces show a gradient rather than a flat white.
  vec2 r = xy / halfSize;
  return e.x * e.y * (0.8 + 0.2 * (1.0 - 0.5 * dot(r, r))) * (0.6 + 0.4 * smoothstep(-1.0, 1.0, r.y));
}

vec3 studioEnv(vec3 d, float soft) {
  float above = smoothstep(-0.04 - soft, 0.04 + soft, d.z);
  vec3 c = mix(vec3(0.72), vec3(0.16, 0.16, 0.17) + 0.1 * d.z, above);
  vec3 keyDir = normalize(vec3(0.0, 0.3, 1.0));
  c += 3.2 * softRect(d, keyDir, vec3(1.0, 0.0, 0.0), vec2(0.85, 0.55), soft + 0.04);
  vec3 leftDir = normalize(vec3(-1.0, 0.15, 0.4));
  c += 2.6 * softRect(d, leftDir, normalize(vec3(0.15, 1.0, 0.0)), vec2(0.14, 0.7), soft + 0.02);
  vec3 rightDir = normalize(vec3(1.0, 0.35, 0.3));
  c += 1.8 * softRect(d, rightDir, normalize(vec3(-0.35, 1.0, 0.0)), vec2(0.12, 0.6), soft + 0.02);
  vec3 fillDir = normalize(vec3(0.0, -1.0, 0.55));
  c += 0.8 * softRect(d, fillDir, vec3(1.0, 0.0, 0.0), vec2(0.9, 0.45), soft + 0.1);
  // Black flag behind the set: the dark reflections that give metal its contrast.
  vec3 flagDir = normalize(vec3(0.0, 1.0, 0.12));
  c *= 1.0 - 0.93 * softRect(d, flagDir, vec3(1.0, 0.0, 0.0), vec2(0.75, 0.2), soft + 0.05);
  return c;
}

vec3 fresnelSchlick(vec3 f0, float cosTheta) {
  return f0 + (1.0 - f0) * pow(1.0 - clamp(cosTheta, 0.0, 1.0), 5.0);
}

const vec3 GOLD = vec3(1.0, 0.74, 0.32);
const vec3 SILVER = vec3(0.93, 0.92, 0.9);

vec3 shadeMetal(vec3 rd, vec3 n, vec3 f0) {
  vec3 r = reflect(rd, n);
  return fresnelSchlick(f0, dot(-rd, n)) * studioEnv(r, 0.03);
}

// Soft shoulder so specular highlights stay below 0.92 with detail in them
// (a well exposed catalogue image); glare defects are what push them to clip.
vec3 toneMap(vec3 c) {
  vec3 over = max(c - 0.6, 0.0);
  return min(c, 0.6) + 0.32 * (1.0 - exp(-over / 0.32));
}

// ---- metal SDF ----
float sdRoundRect(vec2 p, vec2 b, float r) {
  vec2 q = abs(p) - b + r;
  return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
}
float sdCapsule(vec3 p, vec3 a, vec3 b, float r) {
  vec3 pa = p - a;
  vec3 ba = b - a;
  float h = clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0);
  return length(pa - ba * h) - r;
}
float sdTorusZ(vec3 p, float big, float small) {
  return length(vec2(length(p.xy) - big, p.z)) - small;
}
float smin(float a, float b, float k) {
  float h = clamp(0.5 + 0.5 * (b - a) / k, 0.0, 1.0);
  return mix(b, a, h) - k * h * (1.0 - h);
}

float sdRing(vec3 p) {
  vec3 q = p - vec3(u_ringXY, ringCenterZ());
  q.xy = rot(q.xy, -u_ringYaw);
  // Cheap bound first: most rays pass far from the ring.
  // Band: a rounded-rectangle profile swept round the axis (local x).
  float band = sdRoundRect(vec2(length(q.yz) - RING_R, q.x), vec2(BAND_T, BAND_W) * 0.5, 0.045);
  // Cathedral head: four prongs from the band to over the girdle, and a collar.
  float gemZ = ringGemZ() - ringCenterZ();
  vec3 f = vec3(abs(q.xy), q.z);
  float prong = sdCapsule(f, vec3(0.06, 0.06, RING_R + 0.02), vec3(0.72, 0.72, 0.0) * RING_GEM_R + vec3(0.0, 0.0, gemZ + 0.07), 0.032);
  float collar = sdTorusZ(q - vec3(0.0, 0.0, gemZ - 0.13), RING_GEM_R * 0.62, 0.03);
  return min(smin(band, prong, 0.04), collar);
}

float sdPendant(vec3 p) {
  vec3 q = p - vec3(u_pendantXY, 0.0);
  q.xy = rot(q.xy, -u_pendantYaw);
  // Teardrop slab with rounded edges, tip towards +y.
  float drop = smin(length(q.xy) - 0.5, length(q.xy - vec2(0.0, 0.6)) - 0.13, 0.35);
  vec2 w = vec2(drop + 0.05, abs(q.z - PENDANT_T * 0.5) - PENDANT_T * 0.5 + 0.05);
  float slab = min(max(w.x, w.y), 0.0) + length(max(w, 0.0)) - 0.05;
  float bezel = sdTorusZ(q - vec3(0.0, 0.0, PENDANT_T + 0.03), PENDANT_GEM_R + 0.025, 0.04);
  float bail = sdTorusZ(q - vec3(0.0, 0.84, 0.035), 0.11, 0.033);
  return min(min(slab, bezel), bail);
}

// ---- gems: brilliant cut as 57 planes, unit girdle radius, table up ----
// Each 45-degree sector has a bezel, a star, two upper-girdle halves folded
// into one plane, two girdle planes, a pavilion main and a lower-girdle facet.
// Entering/leaving parameters of a ray against the polytope; normals outward.
void gemPlane(vec3 ro, vec3 rd, vec3 n, float d, inout float tIn, inout float tOut, inout vec3 nIn, inout vec3 nOut) {
  float dn = dot(rd, n);
  float dist = d - dot(ro, n);
  if (abs(dn) < 1e-7) {
    if (dist < 0.0) tIn = 1e9;
    return;
  }
  float t = dist / dn;
  if (dn < 0.0) {
    if (t > tIn) { tIn = t; nIn = n; }
  } else if (t < tOut) {
    tOut = t;
    nOut = n;
  }
}

void gemIntersect(vec3 ro, vec3 rd, out float tIn, out float tOut, out vec3 nIn, out vec3 nOut) {
  tIn = -1e9;
  tOut = 1e9;
  nIn = vec3(0.0, 0.0, 1.0);
  nOut = vec3(0.0, 0.0, 1.0);
  gemPlane(ro, rd, vec3(0.0, 0.0, 1.0), 0.3, tIn, tOut, nIn, nOut);
  // sin/cos of facet inclinations (from vertical) and of the 22.5-degree offset.
  const float SB = 0.5664; const float CB = 0.8241;   // bezel 34.5 deg
  const float SU = 0.6691; const float CU = 0.7431;   // upper girdle 42 deg
  const float SS = 0.3746; const float CS = 0.9272;   // star 22 deg
  const float SP = 0.6528; const float CP = 0.7576;   // pavilion main 40.75 deg
  const float SL = 0.6820; const float CL = 0.7314;   // lower girdle 43 deg
  const float C45 = 0.70710678; const float C225 = 0.92387953; const float S225 = 0.38268343;
  vec2 cs = vec2(1.0, 0.0);
  for (int k = 0; k < 8; k++) {
    vec2 mid = vec2(cs.x * C225 - cs.y * S225, cs.y * C225 + cs.x * S225);
    vec3 n;
    n = vec3(SB * cs, CB); gemPlane(ro, rd, n, SB, tIn, tOut, nIn, nOut);
    n = vec3(SU * mid, CU); gemPlane(ro, rd, n, SU, tIn, tOut, nIn, nOut);
    n = vec3(SS * mid, CS); gemPlane(ro, rd, n, dot(n, vec3(0.62 * mid, 0.3)), tIn, tOut, nIn, nOut);
    gemPlane(ro, rd, vec3(cs, 0.0), 1.0, tIn, tOut, nIn, nOut);
    gemPlane(ro, rd, vec3(mid, 0.0), 1.0, tIn, tOut, nIn, nOut);
    n = vec3(SP * cs, -CP); gemPlane(ro, rd, n, SP + 0.03 * CP, tIn, tOut, nIn, nOut);
    n = vec3(SL * mid, -CL); gemPlane(ro, rd, n, SL + 0.03 * CL, tIn, tOut, nIn, nOut);
    cs = vec2(cs.x * C45 - cs.y * C45, cs.y * C45 + cs.x * C45);
  }
}

// Radiance leaving a gem towards the camera and how much of the backdrop
// shows through it. Local frame: centre at the girdle, unit radius, yaw
// removed. openBack: light leaving downwards reaches the backdrop (ring
// setting); otherwise it meets polished metal (closed bezel of the pendant).
void shadeGem(vec3 roL, vec3 rdL, float tIn, vec3 nIn, float ior, vec3 absorb, float openBack, float yaw,
              out vec3 color, out float seeThrough) {
  vec3 p = roL + rdL * tIn;
  float f0 = pow((ior - 1.0) / (ior + 1.0), 2.0);
  float rIn = f0 + (1.0 - f0) * pow(1.0 - clamp(dot(-rdL, nIn), 0.0, 1.0), 5.0);
  vec3 reflL = reflect(rdL, nIn);
  reflL.xy = rot(reflL.xy, yaw);
  color = rIn * studioEnv(reflL, 0.01);
  seeThrough = 0.0;
  vec3 dir = refract(rdL, nIn, 1.0 / ior);
  vec3 through = vec3(1.0 - rIn);
  for (int bounce = 0; bounce < 5; bounce++) {
    float a; float b; vec3 na; vec3 nb;
    gemIntersect(p, dir, a, b, na, nb);
    p += dir * b;
    through *= exp(-absorb * b);
    vec3 outDir = refract(dir, -nb, ior);
    if (dot(outDir, outDir) < 1e-6) {
      dir = reflect(dir, nb);   // total internal reflection
      continue;
    }
    float rOut = f0 + (1.0 - f0) * pow(1.0 - clamp(dot(outDir, nb), 0.0, 1.0), 5.0);
    vec3 outW = outDir;
    outW.xy = rot(outW.xy, yaw);
    vec3 leaving = through * (1.0 - rOut);
    if (outW.z < 0.0 && openBack > 0.5) {
      seeThrough += dot(leaving, vec3(0.2126, 0.7152, 0.0722));
    } else {
      vec3 d = outW;
      if (d.z < 0.0) d = reflect(d, vec3(0.0, 0.0, 1.0)) * 0.9;  // polished metal under the stone
      color += leaving * studioEnv(d, 0.01);
    }
    through *= rOut;
    dir = reflect(dir, nb);
  }
  seeThrough = clamp(seeThrough, 0.0, 1.0);
}

// ---- chain: a polyline in pixels ----
// Distance to the nearest vertex path, arc length there and the side.
void chainNearest(vec2 pix, out float dist, out float arc, out vec2 along, out float side) {
  dist = 1e9;
  arc = 0.0;
  along = vec2(1.0, 0.0);
  side = 0.0;
  float s = 0.0;
  vec2 a = vec2(u_chainX[0], u_chainY[0]);
  for (int i = 1; i < CHAIN_POINTS; i++) {
    if (i >= u_chainCount) break;
    vec2 b = vec2(u_chainX[i], u_chainY[i]);
    vec2 ab = b - a;
    float len = max(length(ab), 1e-6);
    float h = clamp(dot(pix - a, ab) / (len * len), 0.0, 1.0);
    vec2 off = pix - (a + ab * h);
    float d = length(off);
    if (d < dist) {
      dist = d;
      arc = s + h * len;
      along = ab / len;
      side = along.x * off.y - along.y * off.x;
    }
    s += len;
    a = b;
  }
}

float linkPeriod() { return 2.4 * u_chainWidth; }
