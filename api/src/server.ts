import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, type AppOptions } from './app';

export interface RunningServer {
  server: ServerType;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Serves the app on `port` (0 picks a free one) and resolves once it is listening. */
export function listen(options: AppOptions & { port: number; hostname?: string }): Promise<RunningServer> {
  const app = createApp(options);
  return new Promise((resolveListening, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }, (info: AddressInfo) => {
      resolveListening({
        server,
        port: info.port,
        url: `http://localhost:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Idle keep-alive connections would hold the close open.
            if ('closeIdleConnections' in server) server.closeIdleConnections();
            // So would live-update streams, which never end by themselves: a moment for other responses, then cut.
            if ('closeAllConnections' in server) setTimeout(() => server.closeAllConnections(), 1000).unref();
          }),
      });
    });
    server.once('error', reject);
  });
}
