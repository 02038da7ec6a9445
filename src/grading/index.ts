export {
  gradeHttp,
  letterGrade,
  HTTP_SCORING_VERSION,
  type GradeHttpOptions,
  type HttpGradeModifier,
  type HttpGradeResult,
} from './http-grade.js';
