export {
  gradeHttp,
  letterGrade,
  HTTP_SCORING_VERSION,
  HTTP_GRADE_POINTS,
  type GradeHttpOptions,
  type HttpGradeModifier,
  type HttpGradeResult,
} from './http-grade.js';
export {
  gradeTls,
  tlsLetter,
  rsaEquivalentBits,
  keyExchangeStrengthScore,
  cipherStrengthScore,
  PROTOCOL_SCORE,
  HSTS_MIN_MAX_AGE,
  TLS_SCORING_VERSION,
  type GradeTlsContext,
  type TlsCap,
} from './tls-grade.js';
export { computePosture, PostureTally } from './posture-tally.js';
export {
  endpointPostureScore,
  CRITICALITY_WEIGHT,
  NO_OWNER,
  POSTURE_SCORING_VERSION,
  SEVERITY_PENALTY,
} from './posture.js';
export {
  describeViolations,
  evaluateTlsProfile,
  tlsProfileObservation,
  unobservedTlsProfileObservation,
} from './tls-profile.js';
