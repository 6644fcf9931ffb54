// @ts-check
// A gate in front of the workspace server, on loopback: it passes every request on, except the one
// a test holds until it says so. Races between the extension's requests (a reply that comes after
// something else changed) are then made to happen, rather than hoped for.
import { createServer } from 'node:http';
import { listenOnLoopback } from './harness.mjs';

/** Hop-by-hop headers and the ones `fetch` sets itself. */
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * @param {import('node:test').TestContext} t @param {string} target the server's address
 */
export async function startGate(t, target) {
  /** @type {Array<{method: string, path: string, arrived: (release: () => void) => void}>} */
  const holds = [];
  const server = createServer(async (req, res) => {
    try {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const url = req.url ?? '/';
      const path = url.split('?')[0];
      const i = holds.findIndex((h) => h.method === req.method && h.path === path);
      if (i >= 0) {
        const [held] = holds.splice(i, 1);
        await new Promise((release) => held.arrived(() => release(undefined)));
      }
      /** @type {Record<string, string>} */
      const headers = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!DROPPED.has(name) && typeof value === 'string') headers[name] = value;
      }
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const reply = await fetch(`${target}${url}`, { method: req.method, headers, body, redirect: 'manual' });
      /** @type {Record<string, string>} */
      const back = {};
      // `fetch` has decoded the body already.
      for (const [name, value] of reply.headers) {
        if (!DROPPED.has(name) && name !== 'content-encoding') back[name] = value;
      }
      res.writeHead(reply.status, back).end(Buffer.from(await reply.arrayBuffer()));
    } catch {
      res.destroy();
    }
  });
  const port = await listenOnLoopback(t, server);
  return {
    url: `http://127.0.0.1:${port}`,
    /**
     * Holds the next request `method path` (the path without its query): resolves, once it has
     * come, to the function that lets it through.
     * @param {string} method @param {string} path @returns {Promise<() => void>}
     */
    hold: (method, path) => new Promise((arrived) => holds.push({ method, path, arrived })),
  };
}
