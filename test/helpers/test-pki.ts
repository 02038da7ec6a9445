import { createCa, issueLeaf, type Issued, type IssueLeafOptions } from '../../src/demo/index.js';

export const TEST_HOST = 'service.vigie.test';
const DAY_MS = 86_400_000;
export const daysFromNow = (n: number, now = Date.now()): Date => new Date(now + n * DAY_MS);

export interface TestPki {
  root: Issued;
  intermediate: Issued;
  /** A leaf for TEST_HOST issued by the intermediate, with overrides. */
  leaf(extra?: Partial<Omit<IssueLeafOptions, 'issuer'>> & { issuer?: Issued }): Promise<Issued>;
}

/** A root and an intermediate generated for one test file. */
export async function createTestPki(): Promise<TestPki> {
  const root = await createCa({ commonName: 'Test Root' });
  const intermediate = await createCa({ commonName: 'Test Intermediate', issuer: root });
  return {
    root,
    intermediate,
    leaf: (extra = {}) => issueLeaf({ commonName: TEST_HOST, issuer: intermediate, ...extra }),
  };
}
