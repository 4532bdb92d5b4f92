// Rank 2 (0-based) of nine values, per component: the value with exactly two
// smaller ones (ties broken by index). Block thresholds take the third lowest
// level of the 3x3 neighbouring blocks: texture and noise are in most blocks
// and set it, while a defect raises only a few blocks and so not its own
// threshold.
vec2 thirdLowest(vec2 v[9]) {
  vec2 third = vec2(0.0);
  for (int i = 0; i < 9; i++) {
    vec2 below = vec2(0.0);
    for (int j = 0; j < 9; j++) below += vec2(lessThan(v[j], v[i])) + (j < i ? vec2(equal(v[j], v[i])) : vec2(0.0));
    if (below.x == 2.0) third.x = v[i].x;
    if (below.y == 2.0) third.y = v[i].y;
  }
  return third;
}
