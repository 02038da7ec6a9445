import { CodedUsageError } from './errors.js';

/** Why a waiver could not be given or withdrawn. */
export type WaiverErrorCode =
  | 'unknown-finding'
  | 'resolved-finding'
  | 'empty-reason'
  | 'invalid-date'
  | 'until-not-after'
  | 'too-long'
  | 'no-active-waiver';

/** A waive/unwaive request the rules refuse (a usage error: exit code 2). */
export class WaiverError extends CodedUsageError<WaiverErrorCode> {
  override name = 'WaiverError';
}
