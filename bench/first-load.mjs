#!/usr/bin/env node
// Browser side of bench/first-load.sh: what Chromium downloads for a page's first load with a cold
// cache. For each page: a fresh browser context (empty cache and cookies; the session cookie added
// when the page needs a signed-in operator), the page loaded until the network is idle (hydration
// fetches the JS, the WASM and, for a section page, its chunks), every response recorded through the
// DevTools protocol: Network.loadingFinished's encodedDataLength is the bytes on the wire (headers
// and the body as the server sent it, compressed or not).
//
//   node bench/first-load.mjs BASE SITE_ROOT PAGES_JSON
//
// PAGES_JSON: [{"label": "/", "path": "/", "cookie": "agora_session=..." (optional)}, ...]
// SITE_ROOT: the site whose /pkg files are also compressed here with gzip -9 (zlib level 9), the
// figure that does not depend on how the server happens to compress.
// Prints one JSON object per page: {label, path, status, errors (uncaught page errors), wire: {js, wasm, css, other, total},
// gzip9: {js, wasm, css}, raw: {js, wasm, css}, files: [{url, kind, wire, raw, gzip9}]}.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright';

const [base, siteRoot, pagesJson] = process.argv.slice(2);
if (!base || !siteRoot || !pagesJson) {
  console.error('usage: first-load.mjs BASE SITE_ROOT PAGES_JSON');
  process.exit(2);
}
const pages = JSON.parse(pagesJson);

function kindOf(url, mime) {
  const p = new URL(url).pathname;
  if (p.endsWith('.wasm') || mime === 'application/wasm') return 'wasm';
  if (p.endsWith('.js') || /javascript/.test(mime || '')) return 'js';
  if (p.endsWith('.css') || mime === 'text/css') return 'css';
  return 'other';
}

// gzip -9 and raw size of a /pkg file, read from the site (null for anything else).
function localSizes(url) {
  const p = new URL(url).pathname;
  if (!p.startsWith('/pkg/')) return null;
  const file = path.join(siteRoot, p);
  if (!fs.existsSync(file)) return null;
  const body = fs.readFileSync(file);
  return { raw: body.length, gzip9: zlib.gzipSync(body, { level: 9 }).length };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const page of pages) {
    const context = await browser.newContext();
    if (page.cookie) {
      const [name, ...rest] = page.cookie.split('=');
      await context.addCookies([{ name, value: rest.join('='), url: base }]);
    }
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const requests = new Map();
    cdp.on('Network.responseReceived', (e) => {
      requests.set(e.requestId, { url: e.response.url, mime: e.response.mimeType, status: e.response.status });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.wire = e.encodedDataLength;
    });
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    const response = await tab.goto(base + page.path, { waitUntil: 'networkidle', timeout: 120_000 });
    await tab.waitForLoadState('networkidle');
    const wire = { js: 0, wasm: 0, css: 0, other: 0, total: 0 };
    const gzip9 = { js: 0, wasm: 0, css: 0 };
    const raw = { js: 0, wasm: 0, css: 0 };
    const files = [];
    for (const r of requests.values()) {
      if (r.wire === undefined) continue;
      const kind = kindOf(r.url, r.mime);
      wire[kind] += r.wire;
      wire.total += r.wire;
      const local = kind === 'other' ? null : localSizes(r.url);
      if (local) {
        gzip9[kind] += local.gzip9;
        raw[kind] += local.raw;
      }
      files.push({ url: new URL(r.url).pathname + new URL(r.url).search, kind, status: r.status, wire: r.wire, ...(local || {}) });
    }
    console.log(JSON.stringify({ label: page.label, path: page.path, status: response ? response.status() : 0, errors, wire, gzip9, raw, files }));
    await context.close();
  }
} finally {
  await browser.close();
}
