import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over 16 KB, a request
 * line that is not HTTP): only a real socket reaches that code, `inject` never does.
 */

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await buildTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => t.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes raw bytes and reads until the server closes the connection (bounded: 5 s). */
function exchange(raw: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of response; got: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`));
    }, 5_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may close before reading everything we sent: a reset is how the answer ends then.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(raw);
  });
}

function expectErrorShape(response: RawResponse, status: number, code: string) {
  expect(response.status, JSON.stringify(response)).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe('requests the HTTP parser refuses', () => {
  it('a header block over 16 KB is 431 in the error shape', async () => {
    const response = await exchange(`GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expectErrorShape(response, 431, 'headers_too_large');
  });

  it('a cookie over 16 KB is refused the same way', async () => {
    const cookies = Array.from({ length: 400 }, (_, i) => `c${i}=${'v'.repeat(40)}`).join('; ');
    const response = await exchange(`GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookies}\r\n\r\n`);
    expectErrorShape(response, 431, 'headers_too_large');
  });

  it('a request that is not HTTP is 400 in the error shape', async () => {
    expectErrorShape(await exchange('HELLO THERE\r\n\r\n'), 400, 'malformed_request');
    expectErrorShape(await exchange('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n'), 400, 'malformed_request');
  });

  it('leaves the server answering', async () => {
    const response = await exchange('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });
});
