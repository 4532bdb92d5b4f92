// The user's hint strokes (the key's "hints" input, background.key): red
// marks definite piece, green definite backdrop; where both are painted,
// green wins.
bool hintIsPiece(vec2 rg) {
  return rg.r > 0.5;
}

bool hintIsBackdrop(vec2 rg) {
  return rg.g > 0.5;
}
