import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SmtpSink } from '../../support/smtp-sink.js';

let sink: SmtpSink | undefined;
afterAll(() => sink?.close());

/**
 * Opens a mail transaction (greeting, EHLO, MAIL FROM), then resets the connection: what a
 * SIGKILLed sender's kernel does to its pooled connections in the middle of sending.
 */
async function resetInTransaction(port: number): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  const reply = () =>
    new Promise<string>((resolve, reject) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      socket.once('error', reject);
    });
  await reply();
  socket.write('EHLO sender.example\r\n');
  await reply();
  socket.write('MAIL FROM:<forum@example.org>\r\n');
  expect(await reply()).toMatch(/^250/);
  socket.resetAndDestroy();
}

describe('the test SMTP sink', () => {
  it('outlives several senders resetting their connections (a killed server with pooled connections)', async () => {
    sink = await SmtpSink.start();
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    // Vitest reports an uncaught exception as a failed run; catch it here to name it in this test.
    process.prependListener('uncaughtException', record);
    try {
      await Promise.all([resetInTransaction(sink.port), resetInTransaction(sink.port), resetInTransaction(sink.port)]);
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.removeListener('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(sink.connectionErrors.length).toBeGreaterThanOrEqual(1);
  });
});
