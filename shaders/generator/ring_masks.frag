// Gem, glint and contact-shadow masks of the ring tile (see object.glsl).
#define RING
#include "generator/object"
