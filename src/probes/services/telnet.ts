import { idleMs, type Identification, type TcpServiceProbe } from './identification.js';
import { printableExcerpt } from './printable.js';

const IAC = 0xff;
const WILL = 0xfb;
const WONT = 0xfc;
const DO = 0xfd;
const DONT = 0xfe;
const SB = 0xfa;
const SE = 0xf0;
/** Negotiation rounds answered at most, so a chatty server cannot keep the probe busy. */
const MAX_ROUNDS = 4;

/** Options the server asked about (DO/WILL), and the text it sent around its commands. */
export function parseTelnet(data: Buffer): { requests: { verb: number; option: number }[]; text: Buffer } {
  const requests: { verb: number; option: number }[] = [];
  const text: number[] = [];
  let i = 0;
  while (i < data.length) {
    const byte = data[i] ?? 0;
    if (byte !== IAC) {
      text.push(byte);
      i += 1;
      continue;
    }
    const verb = data[i + 1];
    if (verb === undefined) break;
    if (verb === IAC) {
      text.push(IAC);
      i += 2;
    } else if (verb >= WILL && verb <= DONT) {
      const option = data[i + 2];
      if (option === undefined) break;
      requests.push({ verb, option });
      i += 3;
    } else if (verb === SB) {
      const end = data.indexOf(Buffer.from([IAC, SE]), i + 2);
      i = end === -1 ? data.length : end + 2;
    } else {
      i += 2;
    }
  }
  return { requests, text: Buffer.from(text) };
}

/** Starts with a telnet command (IAC WILL/WONT/DO/DONT): a telnet server opening its negotiation. */
export function recognizeTelnet(received: Buffer): Identification | undefined {
  const verb = received[1];
  if (received[0] !== IAC || verb === undefined || verb < WILL || verb > DONT || received.length < 3)
    return undefined;
  const text = printableExcerpt(parseTelnet(received).text);
  return { service: 'telnet', ...(text === '' ? {} : { banner: text }), detail: 'telnet option negotiation' };
}

/**
 * Waits for the server's negotiation and refuses every option (WONT/DONT), which is what a dumb
 * terminal does, then reads the banner or login prompt that follows. Nothing is typed at the prompt.
 */
export const telnetProbe: TcpServiceProbe = async ({ conversation: c, stepMs }) => {
  let end = await c.collect({
    timeoutMs: stepMs,
    idleMs: idleMs(stepMs),
    done: (b) => recognizeTelnet(b) !== undefined,
  });
  if (recognizeTelnet(c.received) === undefined) return { spoke: false, end };
  const answered = new Set<string>();
  let spoke = false;
  for (let round = 0; round < MAX_ROUNDS && !c.ended; round += 1) {
    const replies: number[] = [];
    for (const { verb, option } of parseTelnet(c.received).requests) {
      const key = `${verb}:${option}`;
      if (answered.has(key)) continue;
      answered.add(key);
      if (verb === DO) replies.push(IAC, WONT, option);
      if (verb === WILL) replies.push(IAC, DONT, option);
    }
    if (replies.length === 0) break;
    c.send(Buffer.from(replies));
    spoke = true;
    end = await c.collect({ timeoutMs: idleMs(stepMs) * 2, idleMs: idleMs(stepMs) });
  }
  const identification = recognizeTelnet(c.received);
  return identification === undefined ? { spoke, end } : { spoke, end, identification };
};
