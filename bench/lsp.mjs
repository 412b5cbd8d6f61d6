// Drives the built language server (dist/server.js) over stdio as an editor would, and
// measures an edit → its diagnostics. Self-contained (JSON-RPC framing by hand) so that the
// benchmark depends on nothing but the server's LSP behaviour.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export class LspClient {
  constructor(serverJs, root) {
    this.root = root;
    this.proc = spawn(process.execPath, [...(process.env.SERVER_NODE_ARGS ? process.env.SERVER_NODE_ARGS.split(' ') : []), serverJs, '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    this.buffer = Buffer.alloc(0);
    this.nextId = 1;
    this.pending = new Map();
    this.diagnostics = new Map(); // uri → { version, diagnostics, at }
    this.statuses = [];
    this.waiters = [];
    this.proc.stdout.on('data', (chunk) => this.onData(chunk));
    this.proc.stderr.on('data', () => {});
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.onMessage(body);
    }
  }

  onMessage(msg) {
    const now = performance.now();
    if (msg.id !== undefined && msg.method === undefined) {
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
    } else if (msg.id !== undefined) {
      // A request from the server: configuration, registrations, progress — answer like a client.
      const result = msg.method === 'workspace/configuration' ? (msg.params.items ?? []).map(() => ({})) : null;
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    } else if (msg.method === 'textDocument/publishDiagnostics') {
      this.diagnostics.set(msg.params.uri, { version: msg.params.version, diagnostics: msg.params.diagnostics, at: now });
    } else if (msg.method === 'shipshape/status') {
      this.statuses.push({ ...msg.params, at: now });
    } else if (msg.method === 'window/logMessage' && process.env.SHIPSHAPE_BENCH_LOG) {
      fs.appendFileSync(process.env.SHIPSHAPE_BENCH_LOG, `${Math.round(now)} ${msg.params.message}\n`);
    }
    for (const w of [...this.waiters]) w();
  }

  send(msg) {
    const text = JSON.stringify(msg);
    this.proc.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  waitFor(what, predicate, timeoutMs = 600_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        const v = predicate();
        if (v) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(v);
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  uri(rel) {
    return pathToFileURL(path.join(this.root, rel)).href;
  }

  async start() {
    await this.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(this.root).href,
      workspaceFolders: [{ uri: pathToFileURL(this.root).href, name: path.basename(this.root) }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true } }, window: {} },
    });
    this.notify('initialized', {});
  }

  open(rel, version = 1) {
    const text = fs.readFileSync(path.join(this.root, rel), 'utf8');
    this.notify('textDocument/didOpen', { textDocument: { uri: this.uri(rel), languageId: 'typescript', version, text } });
    return text;
  }

  change(rel, version, text) {
    this.notify('textDocument/didChange', { textDocument: { uri: this.uri(rel), version }, contentChanges: [{ text }] });
  }

  /** Peak resident memory of the server process so far (Linux). */
  peakRssMb() {
    try {
      const status = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
      return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024);
    } catch {
      return undefined;
    }
  }

  async stop() {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 5000))]);
      this.notify('exit', null);
    } finally {
      setTimeout(() => this.proc.kill(), 1000).unref();
    }
  }
}
