import type { HttpGrade, NotEvaluatedGrade } from '../../src/domain/index.js';

/** The modifiers of an HTTP grade; none when the grade was not evaluated. */
export function modifiersOf(grade: HttpGrade | NotEvaluatedGrade | undefined): HttpGrade['modifiers'] {
  return grade && 'modifiers' in grade ? grade.modifiers : [];
}
