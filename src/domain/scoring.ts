/** Version of the grading rules; bumped whenever a score could change for the same observations. */
export const SCORING_VERSION = '2026.12-2';
