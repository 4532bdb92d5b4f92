// Gem, glint and contact-shadow masks of the pendant tile (see object.glsl).
#define PENDANT
#include "generator/object"
