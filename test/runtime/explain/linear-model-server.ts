// A model server on 127.0.0.1 following our serving contract: POST /invocations with CSV rows, answering
// y = 3·x1 + 0.5·x2 + 0·x3 per row (CSV lines, or {"predictions": [...]} when asked for JSON).
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';

export interface LinearModelServer {
  readonly url: string;
  /** Headers of every request, in order. */
  readonly requests: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startLinearModelServer(options: { json?: boolean; path?: string } = {}): Promise<LinearModelServer> {
  const requests: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(req.headers);
      if (req.method !== 'POST' || req.url !== (options.path ?? '/invocations')) {
        res.writeHead(404).end();
        return;
      }
      const rows = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.length > 0).map((l) => l.split(',').map(Number));
      const ys = rows.map(([x1, x2, x3]) => 3 * x1 + 0.5 * x2 + 0 * x3);
      if (options.json) res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ predictions: ys }));
      else res.writeHead(200, { 'Content-Type': 'text/csv' }).end(ys.join('\n'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
