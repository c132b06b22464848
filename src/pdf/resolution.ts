/**
 * Image resolution for print, in one place: layout warns of a photo below it while it builds, the press
 * PDF's preflight (check/preflight.ts) fails it. A module of its own, so that layout does not load the
 * press writer.
 */

/** ppi at its placed size below which an image fails the press PDF's preflight. */
export const PRESS_RESOLUTION_FAIL = 150;
