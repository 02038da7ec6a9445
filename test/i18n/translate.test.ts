import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../src/i18n/index.js';

describe('fillTemplate', () => {
  it('keeps an optional part only when all its parameters are given, and shows unknown names elsewhere', () => {
    const template = "L'analyse n'a pas pu aboutir[[ pour les contrôles {family}]] ({reason}) : {detail}.";
    expect(fillTemplate(template, { family: 'tls', reason: 'timeout', detail: 'x' })).toBe(
      "L'analyse n'a pas pu aboutir pour les contrôles tls (timeout) : x.",
    );
    // A finding stored before the family existed still reads well.
    expect(fillTemplate(template, { reason: 'timeout', detail: 'x' })).toBe(
      "L'analyse n'a pas pu aboutir (timeout) : x.",
    );
    expect(fillTemplate('{a} et [[{b} ]]{c}', { a: 1 })).toBe('1 et {c}');
  });
});
