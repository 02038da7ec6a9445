import { describe, expect, it } from 'vitest';
import { isWithinApi } from '../../src/github/api-scope.js';

describe('isWithinApi: where the token may be sent', () => {
  it('accepts URLs under the API root, GitHub Enterprise path included', () => {
    expect(
      isWithinApi('https://api.github.test/repositories/42/issues?page=2', 'https://api.github.test'),
    ).toBe(true);
    expect(isWithinApi('https://ghes.test/api/v3/repos/a/b/labels?page=3', 'https://ghes.test/api/v3')).toBe(
      true,
    );
    expect(isWithinApi('https://ghes.test/api/v3', 'https://ghes.test/api/v3/')).toBe(true);
  });

  it('refuses another host, port, scheme, a path beside the root, credentials in the URL, garbage', () => {
    const root = 'https://ghes.test/api/v3';
    expect(isWithinApi('https://elsewhere.test/api/v3/repos/a/b/issues', root)).toBe(false);
    expect(isWithinApi('https://ghes.test.elsewhere.test/api/v3/repos', root)).toBe(false);
    expect(isWithinApi('https://ghes.test:8443/api/v3/repos', root)).toBe(false);
    expect(isWithinApi('http://ghes.test/api/v3/repos', root)).toBe(false);
    expect(isWithinApi('https://ghes.test/api/v30/repos', root)).toBe(false);
    expect(isWithinApi('https://ghes.test/login', root)).toBe(false);
    expect(isWithinApi('https://user@ghes.test/api/v3/repos', root)).toBe(false);
    expect(isWithinApi('not a url', root)).toBe(false);
  });
});
