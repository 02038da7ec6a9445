import { CodedUsageError } from '../domain/index.js';

/** Why an incident operation was refused. */
export type IncidentErrorCode =
  'unknown-incident' | 'unknown-step' | 'already-closed' | 'already-met' | 'invalid-input';

/** An incident request the rules refuse (a usage error: exit code 2). */
export class IncidentError extends CodedUsageError<IncidentErrorCode> {
  override name = 'IncidentError';
}
