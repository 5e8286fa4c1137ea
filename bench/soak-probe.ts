import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Loaded into the server process by the soak (`--import`, beside the flags `npm start` uses), to
 * measure what only the process itself can: its event-loop delay (perf_hooks' histogram, no
 * inspector) and its V8 heap. It answers the soak's `soak:sample` message on the IPC channel
 * with the figures since the last sample, then starts a new window. Without an IPC channel it
 * does nothing. The product gets no route for this: nothing to secure, nothing that could leak.
 *
 * The heap is given as used at the moment of the sample and as its floor over the window (sampled
 * each second): the floor is what is left after collections, where a leak shows, while the
 * momentary figure mostly says how long ago the last collection was.
 *
 * With the soak's --profile, it also records a CPU profile (the inspector's, in-process) between a
 * `soak:profile-start` and a `soak:profile-stop` message, and writes it where the stop message
 * says: a minute early in the run and the last one, to diff where the time goes as the data grows.
 */
const RESOLUTION_MS = 10;
const MB = 1024 * 1024;

if (process.send && process.channel) {
  const send = process.send.bind(process);
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let heapFloor = Number.POSITIVE_INFINITY;
  const watch = setInterval(() => {
    heapFloor = Math.min(heapFloor, process.memoryUsage().heapUsed);
  }, 1_000);
  watch.unref();
  // The histogram's values are whole timer periods; the delay is what exceeds the period.
  const beyondTimer = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  let profiler: Session | null = null;
  process.on('message', (message: { type?: string; file?: string } | null) => {
    if (message?.type === 'soak:profile-start' && !profiler) {
      profiler = new Session();
      profiler.connect();
      const session = profiler;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    if (message?.type === 'soak:profile-stop' && profiler) {
      const session = profiler;
      profiler = null;
      session.post('Profiler.stop', (error, result) => {
        if (!error && message.file) writeFileSync(message.file, JSON.stringify(result.profile));
        session.disconnect();
        send({ type: 'soak:profiled', file: error ? null : message.file });
      });
      return;
    }
    if (message?.type !== 'soak:sample') return;
    const memory = process.memoryUsage();
    send({
      type: 'soak:sample',
      heapUsedMb: memory.heapUsed / MB,
      heapFloorMb: Math.min(heapFloor, memory.heapUsed) / MB,
      heapTotalMb: memory.heapTotal / MB,
      externalMb: memory.external / MB,
      loopDelayMs: { p50: beyondTimer(delay.percentile(50)), p99: beyondTimer(delay.percentile(99)), max: beyondTimer(delay.max), samples: delay.count },
    });
    delay.reset();
    heapFloor = Number.POSITIVE_INFINITY;
  });
  // The channel must not keep the server alive when it is told to stop.
  process.channel.unref();
}
