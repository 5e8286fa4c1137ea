import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

/**
 * A share of the soak's websocket clients, in a thread of its own (as the benchmark's fan-out
 * readers: one thread reading a thousand sockets would measure its own queue). Each client
 * subscribes to its topics and then only reads; on `stats` the thread reports what arrived since
 * the last report, and how many sockets the server closed or refused.
 */
export interface SoakClientSpec {
  cookie: string;
  topics: string[];
}

const { wsUrl, origin, clients } = workerData as { wsUrl: string; origin: string; clients: SoakClientSpec[] };
const port = parentPort!;
const EVENT = Buffer.from('"type":"event"');
const SUBSCRIBED = Buffer.from('"type":"subscribed"');
const REFUSED_TOPIC = Buffer.from('"code":"forbidden_topic"');

const sockets: WebSocket[] = [];
let closing = false;
const counts = { messages: 0, events: 0, closedByServer: 0, refusedTopics: 0 };

await Promise.all(
  clients.map(
    (client) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(wsUrl, { headers: { cookie: client.cookie, origin } });
        sockets.push(socket);
        const timer = setTimeout(() => reject(new Error('subscribe timed out')), 60_000);
        socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', topics: client.topics })));
        // Types are looked for in the raw bytes: no JSON parsing per message.
        socket.on('message', (data: Buffer) => {
          counts.messages += 1;
          if (data.includes(EVENT)) counts.events += 1;
          else if (data.includes(REFUSED_TOPIC)) counts.refusedTopics += 1;
          else if (data.includes(SUBSCRIBED)) {
            clearTimeout(timer);
            resolve();
          }
        });
        socket.on('close', () => {
          if (!closing) counts.closedByServer += 1;
        });
        socket.on('error', reject);
      }),
  ),
);
port.postMessage({ type: 'ready' });
port.on('message', (message: { type: 'stats' } | { type: 'close' }) => {
  if (message.type === 'stats') {
    const open = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
    port.postMessage({ type: 'stats', ...counts, open });
    counts.messages = 0;
    counts.events = 0;
    counts.refusedTopics = 0;
    counts.closedByServer = 0;
  } else {
    closing = true;
    for (const socket of sockets) socket.terminate();
    port.close();
  }
});
