import type { Server } from 'node:http';

export type LoopbackListener = { url: string; port: number; close(): Promise<void> };

/**
 * Starts `server` on 127.0.0.1 (`port` 0: a free one). `close` also ends open keep-alive
 * connections (a browser's or a client's), which would otherwise hold `server.close()` open.
 */
export async function listenOnLoopback(server: Server, port = 0): Promise<LoopbackListener> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
