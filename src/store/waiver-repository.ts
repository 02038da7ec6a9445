import type { UnwaiveInput, WaiveInput, Waiver } from '../domain/index.js';

export type WaiverListing = Waiver & { checkId: string; host: string; port: number };

export interface WaiverFilter {
  /** Default: every state. */
  state?: Waiver['state'][];
}

/** Comply-or-explain waivers of findings (the rules are in domain/waiver-rules). */
export interface WaiverRepository {
  /**
   * Waives an open finding (comply-or-explain): a reason and an expiry at most one year away are
   * required; an active waiver of the same finding is withdrawn. Throws a WaiverError otherwise.
   */
  waive(fingerprint: string, w: WaiveInput): Promise<Waiver>;
  /** Withdraws the active waiver of a finding; throws a WaiverError when there is none. */
  unwaive(fingerprint: string, u: UnwaiveInput): Promise<Waiver>;
  /** Lapses the active waivers whose `until` is at or before `now`; returns them (none on a second call). */
  expire(now: string): Promise<Waiver[]>;
  /** Waivers as stored (call `expire` first for an up-to-date state), most recent first. */
  list(filter?: WaiverFilter): Promise<WaiverListing[]>;
}
