import * as dns from 'node:dns';
import * as net from 'node:net';
import { LoadTestError } from './errors';
import { checkUrl } from './scenario';

/** Loopback: 127.0.0.0/8, ::1 and IPv4-mapped 127.x. */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (net.isIPv4(a)) return a.startsWith('127.');
  if (a === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? mapped[1].startsWith('127.') : false;
}

const CONNECT_TIMEOUT_MS = 3000;

/**
 * Checks a target before any load is sent: a valid http(s) URL, a name that resolves, loopback
 * unless remote targets are allowed, and a port that accepts a TCP connection. Throws a
 * LoadTestError whose message says what to do.
 */
export async function preflight(target: string, allowRemote: boolean): Promise<void> {
  const url = checkUrl(target);
  if (typeof url === 'string') throw new LoadTestError('bad-url', url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const literal = net.isIP(host) !== 0;
  if (literal && !allowRemote && !isLoopbackAddress(host)) throw remote(url);
  let addresses: string[];
  if (literal) addresses = [host];
  else {
    try {
      addresses = (await dns.promises.lookup(host, { all: true })).map((a) => a.address);
    } catch (err) {
      throw new LoadTestError('dns', `cannot resolve "${host}" (${(err as NodeJS.ErrnoException).code ?? 'DNS error'}): check the host name in the URL.`);
    }
    if (!allowRemote && !addresses.every(isLoopbackAddress)) throw remote(url);
  }
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host: addresses[0], port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LoadTestError('unreachable', `${url.host} did not accept a connection within ${CONNECT_TIMEOUT_MS / 1000} s: check the server is running and reachable.`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      if (err.code === 'ECONNREFUSED') reject(new LoadTestError('refused', `connection refused by ${url.host}: nothing listens on port ${port}. Start the server (or fix the port) and run again.`));
      else reject(new LoadTestError('unreachable', `cannot connect to ${url.host} (${err.code ?? err.message}): check the server is running and reachable.`));
    });
  });
}

function remote(url: URL): LoadTestError {
  return new LoadTestError('remote-not-allowed', `${url.host} is not this machine (loopback); load-testing another host needs explicit consent: pass --allow-remote (CLI) or confirm in the editor.`);
}
