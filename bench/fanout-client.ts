import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

/**
 * A share of the fan-out benchmark's subscribers, in a thread of its own: a single thread reads
 * its sockets one message at a time, so the last of a thousand waited behind the client's own
 * work, where a thousand separate browsers would not. Times are
 * absolute (timeOrigin + now), comparable with the main thread's.
 */
const { wsUrl, origin, cookies, topic } = workerData as { wsUrl: string; origin: string; cookies: string[]; topic: string };
const port = parentPort!;
const POST_CREATED = Buffer.from('"event":"post.created"');
const SUBSCRIBED = Buffer.from('"type":"subscribed"');
const now = () => performance.timeOrigin + performance.now();

let round: { postedAt: number; arrivals: number[] } | null = null;
const sockets: WebSocket[] = [];

function report(): void {
  if (round && round.arrivals.length === sockets.length) {
    port.postMessage({ type: 'arrivals', arrivals: round.arrivals });
    round = null;
  }
}

await Promise.all(
  cookies.map(
    (cookie) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(wsUrl, { headers: { cookie, origin } });
        sockets.push(socket);
        const timer = setTimeout(() => reject(new Error('subscribe timed out')), 20_000);
        socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] })));
        // The event's type is looked for in the raw bytes: no JSON parsing per message.
        socket.on('message', (data: Buffer) => {
          if (round && data.includes(POST_CREATED)) {
            round.arrivals.push(now() - round.postedAt);
            report();
          } else if (data.includes(SUBSCRIBED)) {
            clearTimeout(timer);
            resolve();
          }
        });
        socket.on('error', reject);
      }),
  ),
);
port.postMessage({ type: 'ready' });
port.on('message', (message: { type: 'round'; postedAt: number } | { type: 'close' }) => {
  if (message.type === 'round') round = { postedAt: message.postedAt, arrivals: [] };
  else {
    for (const socket of sockets) socket.terminate();
    port.close();
  }
});
