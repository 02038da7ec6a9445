import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';

const contexts = new Map<string, SecureContext>();

/**
 * One TLS context per set of options, shared by every connection that uses it. Without it, each
 * `tls.connect` builds its own OpenSSL context (certificate store, suites), freed only when the
 * garbage collector gets to it: on a large estate that native memory grows with the endpoints. A
 * client context keeps no session between connections (Node's contexts have no internal session
 * cache), so a shared one behaves as separate ones.
 */
export function sharedSecureContext(options: SecureContextOptions): SecureContext {
  const key = JSON.stringify(options);
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(options);
    contexts.set(key, context);
  }
  return context;
}
