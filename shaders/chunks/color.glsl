// Colour helpers shared by every pass. Pixels inside the graph are linear-light
// RGB with premultiplied alpha unless a pass says otherwise.

float srgbToLinear1(float c) {
  return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}
vec3 srgbToLinear(vec3 c) {
  return vec3(srgbToLinear1(c.r), srgbToLinear1(c.g), srgbToLinear1(c.b));
}
float linearToSrgb1(float c) {
  c = max(c, 0.0);
  return c <= 0.0031308 ? c * 12.92 : 1.055 * pow(c, 1.0 / 2.4) - 0.055;
}
vec3 linearToSrgb(vec3 c) {
  return vec3(linearToSrgb1(c.r), linearToSrgb1(c.g), linearToSrgb1(c.b));
}

// Brightness that relative measures (a difference over the brightness it is
// measured against) never divide by less than, in linear light (about 40/255
// displayed). On a black backdrop brightness goes to 0 and one level of noise
// would be a 100 % change; below this level differences count as absolute.
const float RELATIVE_FLOOR = 0.02;
float relativeBase(float brightness) {
  return max(brightness, RELATIVE_FLOOR);
}

// Rec. 709 / sRGB luminance of linear RGB.
float luminance(vec3 c) {
  return dot(c, vec3(0.2126, 0.7152, 0.0722));
}

vec4 premultiply(vec4 c) {
  return vec4(c.rgb * c.a, c.a);
}
// Straight colour from premultiplied; fully transparent pixels keep black.
vec4 unpremultiply(vec4 c) {
  return c.a > 1e-6 ? vec4(c.rgb / c.a, c.a) : vec4(0.0);
}
