import type { Socket } from 'node:net';

/**
 * The one way out of an exchange on `socket` bounded by a deadline: the returned `finish` settles
 * once (later calls do nothing), clears the deadline and destroys the socket; when `deadlineMs`
 * passes first, it finishes with `onTimeout()`.
 */
export function finishOnce<T>(
  socket: Socket,
  resolve: (result: T) => void,
  deadlineMs: number,
  onTimeout: () => T,
): (result: T) => void {
  let done = false;
  const finish = (result: T): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    socket.destroy();
    resolve(result);
  };
  const timer = setTimeout(() => finish(onTimeout()), deadlineMs);
  return finish;
}
