import type { Conversation } from './conversation.js';
import { httpBanner, httpExchange, type HttpAnswer } from './http-answer.js';
import { HTTP_SERVICES, httpServiceNamed, type HttpService } from './http-services.js';
import type { Identification, ProbeResult, ProbeSession, TcpServiceProbe } from './identification.js';

/** Answers of a TLS-only server to plain HTTP (Go, nginx), or a TLS alert record. */
function wantsTls(c: Conversation, answer: HttpAnswer | undefined): boolean {
  const b = c.received;
  if (b.length === 0) return c.ended; // closed on plain text: many TLS servers do that
  if ((b[0] === 0x15 || b[0] === 0x16) && b[1] === 0x03) return true;
  return (
    answer?.status === 400 &&
    /Client sent an HTTP request to an HTTPS server|plain HTTP request was sent to HTTPS port/i.test(
      answer.body,
    )
  );
}

function recognize(answer: HttpAnswer, path: string, first?: HttpService): Identification | undefined {
  const order = first === undefined ? HTTP_SERVICES : [first, ...HTTP_SERVICES.filter((s) => s !== first)];
  for (const service of order) {
    const id = service.recognize(answer, path);
    if (id !== undefined) return id;
  }
  return undefined;
}

/**
 * `GET` of the expected service's identifying path (plain HTTP, then TLS when the port wants it),
 * recognised against every HTTP API the probe knows; then, for a recognised service, the read-only
 * request proving access without authentication. Never more than four requests, all `GET`.
 */
export function httpGetProbe(expected?: string): TcpServiceProbe {
  return async (session: ProbeSession): Promise<ProbeResult> => {
    const { target, stepMs } = session;
    const wanted = httpServiceNamed(expected);
    const path = wanted?.path ?? '/';
    let answer = await httpExchange(session.conversation, target, path, { stepMs, tls: false });
    const base: ProbeResult = { spoke: true };
    if (answer === undefined && !wantsTls(session.conversation, answer)) return base;
    let tls = false;
    if (wantsTls(session.conversation, answer)) {
      const secure = await session.reconnect({ tls: true });
      if ('failed' in secure) return { ...base, detail: `plain HTTP refused; TLS: ${secure.failed}` };
      tls = true;
      answer = await httpExchange(secure, target, path, { stepMs, tls });
      if (answer === undefined)
        return { ...base, detail: `TLS without an HTTP answer (${secure.endedHow ?? 'no data'})` };
    }
    if (answer === undefined) return base;
    const request = async (p: string): Promise<HttpAnswer | undefined> => {
      const next = await session.reconnect({ tls });
      return 'failed' in next ? undefined : httpExchange(next, target, p, { stepMs, tls });
    };
    let id = recognize(answer, path, wanted);
    const service = httpServiceNamed(id?.service);
    // Recognised on another API's path: ask its own path, for its version and proof.
    if (id !== undefined && service !== undefined && service.path !== path) {
      const own = await request(service.path);
      id = (own === undefined ? undefined : service.recognize(own, service.path)) ?? id;
    }
    if (id !== undefined && service?.proof !== undefined && id.unauthenticated === undefined) {
      const proofAnswer = await request(service.proof.path);
      const proof = proofAnswer === undefined ? undefined : service.proof.check(proofAnswer);
      if (proof !== undefined) id = { ...id, unauthenticated: proof };
      else if (proofAnswer !== undefined)
        id = {
          ...id,
          detail: `${id.detail ?? ''}; GET ${service.proof.path} → HTTP ${proofAnswer.status}`.replace(
            /^; /,
            '',
          ),
        };
    }
    if (id !== undefined)
      return { ...base, identification: tls ? { ...id, detail: `${id.detail ?? 'HTTP'} over TLS` } : id };
    return {
      ...base,
      http: true,
      banner: httpBanner(answer),
      detail: `HTTP${tls ? 'S' : ''} ${answer.status} from an unrecognised service`,
    };
  };
}
