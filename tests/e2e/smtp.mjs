// @ts-check
/**
 * A tiny SMTP receiver for the tests (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) on
 * 127.0.0.1, the Node twin of server/src/test_support/smtp.rs: it keeps every message, so a test
 * reads the e-mailed 6-digit code the way a person reads their inbox.
 */
import { createServer } from 'node:net';

/** @typedef {{from: string, to: string[], data: string}} Mail */

/** @param {{after: (fn: () => unknown) => void}} t */
export async function startSmtp(t) {
  /** @type {Mail[]} */
  const received = [];
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('latin1');
    /** @type {Mail} */
    let current = { from: '', to: [], data: '' };
    let inData = false;
    let buffer = '';
    socket.write('220 smtp.test ESMTP ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.push(current);
            current = { from: '', to: [], data: '' };
            socket.write('250 OK queued\r\n');
          } else current.data += (line.startsWith('.') ? line.slice(1) : line) + '\r\n';
          continue;
        }
        const upper = line.toUpperCase();
        if (upper.startsWith('EHLO ')) socket.write('250-smtp.test\r\n250-8BITMIME\r\n250 SIZE 1048576\r\n');
        else if (upper.startsWith('HELO ')) socket.write('250 smtp.test\r\n');
        else if (upper.startsWith('MAIL FROM:')) {
          current.from = line.slice(10).trim();
          socket.write('250 OK\r\n');
        } else if (upper.startsWith('RCPT TO:')) {
          current.to.push(line.slice(8).trim().replace(/^<|>$/g, ''));
          socket.write('250 OK\r\n');
        } else if (upper === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (upper === 'RSET') {
          current = { from: '', to: [], data: '' };
          socket.write('250 OK\r\n');
        } else if (upper === 'NOOP') socket.write('250 OK\r\n');
        else if (upper === 'QUIT') {
          socket.write('221 bye\r\n');
          socket.end();
        } else socket.write('502 command not implemented\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve(undefined)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  /**
   * The code of the newest verification e-mail to `to` that arrived after `since` messages.
   * @param {string} to @param {number} since how many messages there were before asking
   */
  async function codeFor(to, since = 0) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      // The newest verification e-mail (approval notices go to the same address).
      const mail = received
        .slice(since)
        .reverse()
        .find((m) => m.to.includes(to) && /verification code is:/.test(m.data));
      const m = mail && /verification code is:\s+(\d{6})/.exec(mail.data);
      if (m) return m[1];
      if (Date.now() > deadline) throw new Error(`no verification e-mail reached ${to}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { port, received, codeFor, count: () => received.length };
}
