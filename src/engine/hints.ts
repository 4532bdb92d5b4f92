/**
 * The user's strokes for the graph's "$hints" (red = definitely piece, green =
 * definitely backdrop) must cover the image: its size, or its shape at
 * another size (painted on a smaller copy), within rounding.
 */
const SHAPE_TOLERANCE = 0.01;

/** Why hints of this size cannot go with an image of that size, or undefined when they can (resized if need be). */
export function hintsMismatch(hints: { width: number; height: number }, image: { width: number; height: number }): string | undefined {
  const aspect = image.width / image.height;
  if (Math.abs(hints.width / hints.height - aspect) <= SHAPE_TOLERANCE * aspect) return undefined;
  return `the hints are ${hints.width}x${hints.height} and the image ${image.width}x${image.height}: paint them on the image (its size, or its shape at another size)`;
}
