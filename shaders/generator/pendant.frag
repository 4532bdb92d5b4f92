// Colour and alpha of the pendant tile (see object.glsl).
#define PENDANT
#define COLOR_PASS
#include "generator/object"
