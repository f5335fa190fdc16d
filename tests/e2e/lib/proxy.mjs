// A loopback proxy for browsers without Chromium's --host-resolver-rules (Firefox): every
// HTTPS CONNECT to an allowed host (by default the fixture hosts) is tunnelled to the test
// server; anything else is refused and recorded, so a test can assert that nothing tried to
// leave the machine.
import http from 'node:http';
import net from 'node:net';
import { HOSTS } from './server.mjs';

export async function startProxy({ serverPort, allowHost = (host) => host in HOSTS }) {
  const refused = [];
  // Tunnels are sockets the HTTP server no longer tracks once CONNECT hands them over, so
  // closeAllConnections misses them; close() destroys them itself. (A close that waited on
  // one never returned once, and hung the Firefox suite after its last test.)
  const tunnels = new Set();
  const track = (socket) => { tunnels.add(socket); socket.once('close', () => tunnels.delete(socket)); };
  const proxy = http.createServer((req, res) => {
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  proxy.on('connect', (req, client, head) => {
    const host = String(req.url).replace(/:\d+$/, '');
    if (!allowHost(host)) {
      refused.push(`CONNECT ${req.url}`);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    track(client);
    const upstream = net.connect(serverPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    const drop = () => { upstream.destroy(); client.destroy(); };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: proxy.address().port,
    refused,
    close: () => new Promise((resolve) => {
      proxy.close(() => resolve());
      for (const socket of tunnels) socket.destroy();
      proxy.closeAllConnections();
    }),
  };
}
