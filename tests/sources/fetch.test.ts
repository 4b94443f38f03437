// The safe fetcher against loopback servers: what it sends, what it refuses before sending
// anything, and how it stops reading a hostile answer. No test reaches the internet: names other
// than localhost resolve through the test-only `resolve` option.
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { blockedRange } from '../../src/sources/addresses.js';
import { FetchError, fetchUrl, MAX_FETCH_BYTES, USER_AGENT, type FetchOptions, type ResolvedAddress } from '../../src/sources/fetch.js';
import { redirectTo, selfSignedCertificate, sendBody, startWebServer, streamBody, type Handler, type WebServer } from './web-server.js';

const ACCEPT = ['text/html', 'application/xhtml+xml', 'application/pdf', 'text/plain', 'text/markdown'];
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const PAGE = '<html><body><p>The talks resumed in Muscat.</p></body></html>';

const servers: WebServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(routes: Record<string, Handler>, options?: Parameters<typeof startWebServer>[1]): Promise<WebServer> {
  const site = await startWebServer(routes, options);
  servers.push(site);
  return site;
}

/** A resolver for the test-only `resolve` option: names from a table, any other name unknown. */
function names(table: Record<string, string[]>): (host: string) => Promise<ResolvedAddress[]> {
  return async (host) => {
    if (!table[host]) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return table[host].map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refused(promise: Promise<unknown>, code: string): Promise<FetchError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FetchError);
  expect((err as FetchError).code).toBe(code);
  expect((err as FetchError).userSafe).toBe(true);
  return err as FetchError;
}

const open: FetchOptions = { allowPrivate: true, accept: ACCEPT };

describe('fetchUrl: a page', () => {
  it('fetches html, naming briefbot and saying what it accepts', async () => {
    const site = await serve({ '/a': sendBody(PAGE, { ...HTML, etag: '"v1"', 'last-modified': 'Tue, 03 Jun 2025 10:00:00 GMT' }) });
    const got = await fetchUrl(site.url('/a?x=1#top'), open);
    expect(got).toMatchObject({ url: site.url('/a?x=1#top'), status: 200, contentType: 'text/html', charset: 'utf-8', etag: '"v1"', lastModified: 'Tue, 03 Jun 2025 10:00:00 GMT' });
    expect(got.body.toString()).toBe(PAGE);
    const [req] = site.requests;
    expect(req!.url).toBe('/a?x=1');
    expect(req!.headers).toMatchObject({ 'user-agent': USER_AGENT, accept: ACCEPT.join(', '), 'accept-encoding': 'gzip, deflate, br', host: `127.0.0.1:${site.port}` });
    expect(USER_AGENT).toMatch(/^briefbot\//);
  });

  it.each([
    ['Text/HTML; Charset="ISO-8859-1"', 'text/html', 'iso-8859-1'],
    ['text/plain;charset=windows-1252;format=flowed', 'text/plain', 'windows-1252'],
    ['application/pdf', 'application/pdf', undefined],
  ])('reads the type and charset of %s', async (header, contentType, charset) => {
    const site = await serve({ '/': sendBody('x', { 'content-type': header }) });
    const got = await fetchUrl(site.url(), open);
    expect(got.contentType).toBe(contentType);
    expect(got.charset).toBe(charset);
  });

  it('sends validators and resolves a 304 with an empty body', async () => {
    const site = await serve({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"v2"') return void res.writeHead(304, { etag: '"v2"' }).end();
        if (req.headers['if-modified-since'] === 'Mon, 02 Jun 2025 08:00:00 GMT') return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'text/plain', etag: '"v2"' }).end('fresh');
      },
    });
    expect(await fetchUrl(site.url('/feed'), { ...open, etag: '"v2"' })).toMatchObject({ status: 304, etag: '"v2"', body: Buffer.alloc(0) });
    const since = await fetchUrl(site.url('/feed'), { ...open, lastModified: 'Mon, 02 Jun 2025 08:00:00 GMT' });
    expect(since).toMatchObject({ status: 304, lastModified: 'Mon, 02 Jun 2025 08:00:00 GMT' });
    expect(since.body.length).toBe(0);
    expect((await fetchUrl(site.url('/feed'), { ...open, etag: '"v1"' })).body.toString()).toBe('fresh');
    expect(site.requests.map((r) => r.headers['if-none-match'])).toEqual(['"v2"', undefined, '"v1"']);
  });

  it('refuses a 304 it did not ask for', async () => {
    const site = await serve({ '/': (_req, res) => void res.writeHead(304).end() });
    expect((await refused(fetchUrl(site.url(), open), 'fetch_status')).message).toContain('304 Not Modified');
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['deflate', zlib.deflateRawSync], // what some servers send as "deflate"
    ['br', zlib.brotliCompressSync],
    ['gzip, br', (b: Buffer) => zlib.brotliCompressSync(zlib.gzipSync(b))],
  ])('decodes %s', async (encoding, encode) => {
    const site = await serve({ '/': sendBody(encode(Buffer.from(PAGE.repeat(50))), { ...HTML, 'content-encoding': encoding }) });
    expect((await fetchUrl(site.url(), open)).body.toString()).toBe(PAGE.repeat(50));
  });
});

describe('fetchUrl: private addresses', () => {
  const forms = ['127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '[::1]', '0.0.0.0', '0', '[::]', '[::ffff:7f00:1]'];

  it('refuses every spelling of a loopback address before sending anything', async () => {
    const site = await serve({ '/': sendBody(PAGE, HTML) });
    for (const host of forms) {
      const err = await refused(fetchUrl(site.url('/', host), { accept: ACCEPT }), 'url_private');
      expect(err.message).toMatch(/^refused: \S+ is an? (loopback|unspecified) address$/);
    }
    expect(site.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback (localhost)', async () => {
    const site = await serve({ '/': sendBody(PAGE, HTML) });
    const err = await refused(fetchUrl(site.url('/', 'localhost'), { accept: ACCEPT }), 'url_private');
    expect(err.message).toMatch(/^refused: localhost resolves to a loopback address \((127\.0\.0\.1|::1)\)$/);
    expect(site.requests).toHaveLength(0);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const resolve = names({ 'blog.internal': ['93.184.215.14', '10.0.0.4'], 'meta.test': ['169.254.169.254'] });
    const err = await refused(fetchUrl('https://blog.internal/post', { accept: ACCEPT, resolve }), 'url_private');
    expect(err.message).toBe('refused: blog.internal resolves to a private address (10.0.0.4)');
    const meta = await refused(fetchUrl('http://meta.test/latest/meta-data/', { accept: ACCEPT, resolve }), 'url_private');
    expect(meta.message).toBe('refused: meta.test resolves to a cloud metadata address (169.254.169.254)');
  });

  it('connects to the address it checked, not to a later DNS answer', async () => {
    const site = await serve({ '/': sendBody(PAGE, HTML) });
    let lookups = 0;
    // A rebinding name: public the first time, private on every later lookup.
    const resolve = async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
    const got = await fetchUrl(site.url('/', 'news.test'), { accept: ACCEPT, resolve, treatAsPublic: ['127.0.0.1'] });
    expect(got.body.toString()).toBe(PAGE);
    expect(lookups).toBe(1);
    expect(site.requests[0]!.headers.host).toBe(`news.test:${site.port}`);
  });

  it('says when a name does not resolve', async () => {
    const err = await refused(fetchUrl('https://nowhere.test/', { accept: ACCEPT, resolve: names({}) }), 'fetch_network');
    expect(err.message).toBe('could not fetch nowhere.test: its name does not resolve');
  });

  it.each([
    ['10.0.0.4', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'], ['100.127.255.255', 'carrier-grade NAT'], ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'link-local'], ['0.1.2.3', 'unspecified'], ['255.255.255.255', 'broadcast'], ['224.0.0.1', 'multicast'],
    ['240.0.0.1', 'reserved'], ['198.18.0.1', 'reserved'], ['192.0.2.1', 'reserved'], ['::1', 'loopback'], ['::', 'unspecified'],
    ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fc00::1', 'private'], ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'cloud metadata'], ['::ffff:10.0.0.1', 'private'], ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['::127.0.0.1', 'reserved'], ['64:ff9b::a00:1', 'private'], ['2002:7f00:1::', 'loopback'], ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'], ['ff02::1', 'multicast'], ['not-an-ip', 'invalid'],
    ['8.8.8.8', undefined], ['172.32.0.1', undefined], ['100.128.0.1', undefined], ['1.1.1.1', undefined],
    ['2606:4700:4700::1111', undefined], ['::ffff:8.8.8.8', undefined], ['64:ff9b::808:808', undefined], ['2002:808:808::1', undefined],
  ])('classifies %s as %s', (address, range) => {
    expect(blockedRange(address)).toBe(range);
  });
});

describe('fetchUrl: redirects', () => {
  function chain(length: number): Record<string, Handler> {
    const routes: Record<string, Handler> = { '/final': sendBody(PAGE, HTML) };
    for (let i = 1; i <= length; i++) routes[`/r${i}`] = redirectTo(i === length ? '/final' : `/r${i + 1}`, [301, 302, 303, 307, 308][i % 5]);
    return routes;
  }

  it('follows five, resolving relative locations', async () => {
    const site = await serve({ ...chain(4), '/start': redirectTo('deep/../r1?from=start') });
    const got = await fetchUrl(site.url('/start'), open);
    expect(got.url).toBe(site.url('/final'));
    expect(site.requests.map((r) => r.url)).toEqual(['/start', '/r1?from=start', '/r2', '/r3', '/r4', '/final']);
  });

  it('refuses a sixth', async () => {
    const site = await serve(chain(6));
    const err = await refused(fetchUrl(site.url('/r1'), open), 'fetch_redirects');
    expect(err.message).toBe(`refused: 127.0.0.1:${site.port} redirected more than 5 times`);
    expect(site.requests).toHaveLength(6);
  });

  it('checks every hop: a public page redirecting to a private one is refused', async () => {
    const site = await serve({ '/to-intranet': redirectTo('http://intranet.test/secret') });
    const options = { accept: ACCEPT, resolve: names({ 'news.test': ['127.0.0.1'], 'intranet.test': ['10.0.0.1'] }), treatAsPublic: ['127.0.0.1'] };
    const err = await refused(fetchUrl(site.url('/to-intranet', 'news.test'), options), 'url_private');
    expect(err.message).toBe('refused: intranet.test resolves to a private address (10.0.0.1)');
    for (const literal of ['http://0x0a000001/', `http://[::1]:${site.port}/`]) {
      site.route('/to-literal', redirectTo(literal));
      await refused(fetchUrl(site.url('/to-literal', 'news.test'), options), 'url_private');
    }
    expect(site.requests.map((r) => r.url)).toEqual(['/to-intranet', '/to-literal', '/to-literal']);
  });

  it.each([
    ['file:///etc/passwd', 'url_scheme'],
    ['ftp://example.com/a', 'url_scheme'],
    ['gopher://example.com/', 'url_scheme'],
    ['http://admin:hunter2@example.com/', 'url_invalid'],
  ])('refuses a redirect to %s', async (location, code) => {
    const site = await serve({ '/': redirectTo(location) });
    const err = await refused(fetchUrl(site.url(), open), code);
    expect(err.message).toContain(`(127.0.0.1:${site.port} redirected to one)`);
    expect(err.message).not.toContain('hunter2');
  });

  it('sends extra headers to the first origin only, and never again once they have left it', async () => {
    const other = await serve({});
    const site = await serve({ '/start': redirectTo('/same'), '/same': redirectTo(other.url('/other')), '/back': sendBody(PAGE, HTML) });
    other.route('/other', redirectTo(site.url('/back')));
    const headers = { Authorization: 'Bearer xoxb-123-secret', 'X-Team': 'T1', 'Accept-Encoding': 'zstd', Host: 'evil.test' };
    await fetchUrl(site.url('/start'), { ...open, headers });
    const seen = [...site.requests, ...other.requests].map((r) => [r.url, r.headers.authorization, r.headers['x-team']]);
    expect(seen).toEqual([
      ['/start', 'Bearer xoxb-123-secret', 'T1'],
      ['/same', 'Bearer xoxb-123-secret', 'T1'],
      ['/back', undefined, undefined],
      ['/other', undefined, undefined],
    ]);
    expect(site.requests[0]!.headers).toMatchObject({ 'accept-encoding': 'gzip, deflate, br', host: `127.0.0.1:${site.port}` });
    site.route('/gone', sendBody('no', {}, 404));
    const err = await refused(fetchUrl(site.url('/gone'), { ...open, headers }), 'fetch_status');
    expect(err.message).toBe(`could not fetch 127.0.0.1:${site.port}: it answered 404 Not Found`);
  });
});

describe('fetchUrl: limits', () => {
  it('refuses a declared body over the cap without reading it', async () => {
    // Far more than socket buffers hold, so `cutOff` shows the client stopped, not the kernel.
    const declared = 64 * 1024 * 1024;
    const big = streamBody(declared, Buffer.alloc(64 * 1024, 97), { ...HTML, 'content-length': declared });
    const site = await serve({ '/': big.handler });
    const err = await refused(fetchUrl(site.url(), open), 'fetch_too_large');
    expect(err.message).toBe(`refused: 127.0.0.1:${site.port} offered 64 MB, more than the 10 MB limit`);
    await big.progress.closed;
    expect(big.progress.cutOff).toBe(true);
  });

  it('cuts off an undeclared (chunked) body once it passes the cap', async () => {
    const total = 64 * 1024 * 1024;
    const big = streamBody(total, Buffer.alloc(64 * 1024, 97), HTML);
    const site = await serve({ '/': big.handler });
    const err = await refused(fetchUrl(site.url(), open), 'fetch_too_large');
    expect(err.message).toBe(`refused: 127.0.0.1:${site.port} sent more than 10 MB`);
    await big.progress.closed;
    expect(big.progress.cutOff).toBe(true);
    expect(big.progress.written).toBeLessThan(total / 2);
  });

  it.each([
    ['gzip', zlib.gzipSync],
    ['br', (b: Buffer) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } })],
    ['deflate', zlib.deflateRawSync],
  ])('refuses a %s bomb by its decoded size', async (encoding, encode) => {
    const bomb = encode(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(MAX_FETCH_BYTES / 10);
    const site = await serve({ '/': sendBody(bomb, { ...HTML, 'content-encoding': encoding, 'content-length': bomb.length }) });
    await refused(fetchUrl(site.url(), open), 'fetch_too_large');
  });

  it('caps the bytes on the wire too (empty gzip members decode to nothing)', async () => {
    const empties = Buffer.concat(Array.from({ length: 200 }, () => zlib.gzipSync(Buffer.alloc(0))));
    const site = await serve({ '/': sendBody(empties, { ...HTML, 'content-encoding': 'gzip' }) });
    await refused(fetchUrl(site.url(), { ...open, maxBytes: 1000 }), 'fetch_too_large');
  });

  it('gives up on a slow body at the timeout and closes the connection', async () => {
    let closed!: Promise<void>;
    const site = await serve({
      '/': (_req, res) => {
        closed = new Promise((resolve) => res.on('close', resolve));
        res.writeHead(200, HTML).write('<html>'); // and nothing more
      },
    });
    const started = Date.now();
    const err = await refused(fetchUrl(site.url(), { ...open, timeoutMs: 300 }), 'fetch_timeout');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.message).toBe(`gave up on 127.0.0.1:${site.port}: no complete answer within 300 ms`);
    await closed;
  });

  it('gives up on a server that never answers', async () => {
    const site = await serve({ '/': () => undefined });
    await refused(fetchUrl(site.url(), { ...open, timeoutMs: 200 }), 'fetch_timeout');
  });

  it("rejects with the caller's reason when the caller aborts", async () => {
    const site = await serve({ '/': () => undefined });
    const controller = new AbortController();
    const stop = new Error('shutting down');
    const pending = fetchUrl(site.url(), { ...open, signal: controller.signal });
    while (site.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(stop);
    await expect(pending).rejects.toBe(stop);
    await expect(fetchUrl(site.url(), { ...open, signal: AbortSignal.abort(stop) })).rejects.toBe(stop);
    expect(site.requests).toHaveLength(1);
  });

  it('refuses a type it was not asked for, before reading the body', async () => {
    const png = streamBody(64 * 1024 * 1024, Buffer.alloc(64 * 1024), { 'content-type': 'image/png' });
    const site = await serve({ '/png': png.handler, '/untyped': sendBody('x'), '/zstd': sendBody('x', { ...HTML, 'content-encoding': 'zstd' }) });
    const err = await refused(fetchUrl(site.url('/png'), open), 'fetch_type');
    expect(err.message).toBe(`refused: 127.0.0.1:${site.port} sent image/png, and only ${ACCEPT.join(', ')} can be read`);
    await png.progress.closed;
    expect(png.progress.cutOff).toBe(true);
    await refused(fetchUrl(site.url('/untyped'), open), 'fetch_type');
    await refused(fetchUrl(site.url('/zstd'), open), 'fetch_type');
  });

  it.each([
    [404, 'it answered 404 Not Found'],
    [500, 'it answered 500 Internal Server Error'],
    [302, 'it answered 302 Found'], // a redirect that does not say where to
  ])('refuses a %i', async (status, words) => {
    const site = await serve({ '/': (_req, res) => void res.writeHead(status, HTML).end('oops') });
    expect((await refused(fetchUrl(site.url(), open), 'fetch_status')).message).toBe(`could not fetch 127.0.0.1:${site.port}: ${words}`);
  });

  it('says when the server refuses the connection', async () => {
    const site = await startWebServer();
    await site.close();
    const err = await refused(fetchUrl(site.url(), open), 'fetch_network');
    expect(err.message).toBe(`could not fetch 127.0.0.1:${site.port}: it refused the connection`);
  });
});

describe('fetchUrl: addresses it will not try', () => {
  it.each(['not a url', 'http://', 'https://exa mple.com/', 'example.com/article', '', 'http://me:s3cret@exa mple.com/'])('refuses the malformed %j', async (url) => {
    const err = await refused(fetchUrl(url, open), 'url_invalid');
    expect(err.message).toMatch(/^refused: ".*" is not a valid web address$/);
    expect(err.message).not.toContain('s3cret');
  });

  it.each(['ftp://example.com/file', 'file:///etc/passwd', 'data:text/html,<p>hi</p>', 'javascript:alert(1)', 'gopher://example.com/'])('refuses %s', async (url) => {
    expect((await refused(fetchUrl(url, open), 'url_scheme')).message).toMatch(/^refused: only http and https links are fetched, not [a-z]+:$/);
  });

  it('refuses credentials in the URL without repeating them, even with allowPrivate', async () => {
    const site = await serve({ '/': sendBody(PAGE, HTML) });
    const err = await refused(fetchUrl(`http://reader:s3cret@127.0.0.1:${site.port}/`, open), 'url_invalid');
    expect(err.message).toBe('refused: links with a user name or password in them are not fetched (127.0.0.1)');
    expect(site.requests).toHaveLength(0);
  });

  const cert = selfSignedCertificate('news.test');
  it.skipIf(!cert)('names the site in SNI and checks its certificate over https', async () => {
    const site = await serve({ '/': sendBody(PAGE, HTML) }, { tls: cert! });
    const resolve = names({ 'news.test': ['127.0.0.1'] });
    const err = await refused(fetchUrl(site.url('/', 'news.test'), { ...open, resolve }), 'fetch_network');
    expect(err.message).toBe(`could not fetch news.test:${site.port}: its certificate could not be verified (DEPTH_ZERO_SELF_SIGNED_CERT)`);
    expect(site.servernames).toEqual(['news.test']);
    expect(site.requests).toHaveLength(0);
  });
});
