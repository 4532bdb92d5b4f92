// Colour and alpha of the ring tile (see object.glsl).
#define RING
#define COLOR_PASS
#include "generator/object"
