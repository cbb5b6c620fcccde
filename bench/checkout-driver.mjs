#!/usr/bin/env node
// Load driver for bench/checkout.sh: oha repeats one request, but every checkout needs its own buyer
// (a session cookie and a cart) and its own idempotency key. Reads a CSV of `token,address_id` (one
// line per buyer), sends one request per line from CONCURRENCY workers over keep-alive connections,
// and prints a JSON report: requests, status counts, errors, p50/p90/p99/max latency (ms), req/s.
// It uses node:http with a keep-alive agent, not fetch: on the 2-core bench machine fetch cost the
// driver 1.5 ms of CPU per checkout, a third of what the machine had for the server (measured from
// /proc/<pid>/stat over 10 s of the run); node:http costs a fraction of that.
//
//   node bench/checkout-driver.mjs BASE CSV CONCURRENCY checkout|approve [ADMIN_COOKIE]
//
// Closed loop by default: each worker sends its next request when the last one answered, so the
// rate is whatever the server sustains and the latency is CONCURRENCY / rate (Little's law). With
// BENCH_RATE=R (requests/s) it is open loop instead: request i is due at start + i/R, sent by the
// first free worker, and its latency counts from when it was due, so a server that falls behind
// shows it in p99 (no coordinated omission); at most CONCURRENCY are in flight.
//
//   checkout  POST /api/checkout {idempotency_key: bench-<line>, address_id, payment_method: bank_transfer}
//             as the line's buyer; the responses' checkout ids go to CSV.checkouts
//   approve   POST /api/approve_payment {id} as the admin (ADMIN_COOKIE), one per line of CSV
//             (payment ids, one per line)
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [base, csv, concurrencyArg, mode, adminCookie] = process.argv.slice(2);
if (!base || !csv || !concurrencyArg || !['checkout', 'approve'].includes(mode)) {
  console.error('usage: checkout-driver.mjs BASE CSV CONCURRENCY checkout|approve [ADMIN_COOKIE]');
  process.exit(2);
}
const concurrency = Number(concurrencyArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(base);
const lines = fs.readFileSync(csv, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);

function request(i) {
  if (mode === 'checkout') {
    const [token, address] = lines[i].split(',');
    return {
      cookie: `agora_session=${token}`,
      body: new URLSearchParams({ idempotency_key: `bench-${i}-${token.slice(0, 8)}`, address_id: address, payment_method: 'bank_transfer' }).toString(),
      endpoint: 'checkout',
    };
  }
  return { cookie: adminCookie, body: new URLSearchParams({ id: lines[i] }).toString(), endpoint: 'approve_payment' };
}

// One POST over the agent's keep-alive connections: resolves with { status, text }.
function post(r) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: `/api/${r.endpoint}`,
        method: 'POST',
        headers: {
          cookie: r.cookie,
          origin: base,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(r.body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, ok: res.statusCode >= 200 && res.statusCode < 300, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

const rate = Number(process.env.BENCH_RATE || 0);
const latencies = [];
const statuses = {};
const errors = {};
const results = [];
let next = 0;
const start = performance.now();

async function worker() {
  while (next < lines.length) {
    const i = next++;
    const r = request(i);
    let t0 = performance.now();
    if (rate > 0) {
      const due = start + (i * 1000) / rate;
      if (due > t0) await new Promise((resolve) => setTimeout(resolve, due - t0));
      t0 = due;
    }
    try {
      const res = await post(r);
      const text = res.text;
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] || 0) + 1;
      if (res.ok && mode === 'checkout') results.push(JSON.parse(text).checkout_id);
      if (!res.ok && (statuses[res.status] || 0) <= 3) console.error(`${r.endpoint} ${res.status}: ${text.slice(0, 300)}`);
    } catch (e) {
      errors[e.message] = (errors[e.message] || 0) + 1;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - start) / 1000;
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : 0);
if (mode === 'checkout') fs.writeFileSync(`${csv}.checkouts`, results.join('\n') + '\n');
console.log(
  JSON.stringify({
    requests: lines.length,
    offered_rps: rate || null,
    statuses,
    errors,
    seconds,
    rps: lines.length / seconds,
    p50: pct(50),
    p90: pct(90),
    p99: pct(99),
    max: latencies[latencies.length - 1] || 0,
  }),
);
