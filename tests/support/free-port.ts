import net from 'node:net';

/**
 * A free TCP port on 127.0.0.1, for servers whose public URL must be known before they start
 * (browser tests, the server-process test, the benchmark).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
