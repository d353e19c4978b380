// Requests per second through the running server: `concurrency` keep-alive connections, each sending
// its next request as soon as the previous one answered, for `seconds`. Only 2xx answers count.
import http from "node:http";

export async function httpLoad({ port, seconds, concurrency, request }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const statuses = {};
  let ok = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const send = ({ method = "GET", path, headers = {}, body }) =>
    new Promise((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      });
      req.on("error", () => resolve(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const status = await send(request(worker, i));
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) ok++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: Math.round(ok / elapsed), ok, statuses };
}
