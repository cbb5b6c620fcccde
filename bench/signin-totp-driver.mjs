#!/usr/bin/env node
// Load driver for bench/signin-totp.sh: a sign-in with a second factor is two requests (the password,
// then the code for the challenge cookie the first one set), and every code works once, so oha's one
// repeated request cannot drive it. Set-up (not measured): USERS accounts sign up and enrol an
// authenticator key through the API. Then each account signs in once, from CONCURRENCY workers over
// keep-alive connections; a sign-in's latency runs from the password request to the code's answer.
// Prints a JSON report: sign-ins, status counts, errors, p50/p90/p99/max latency (ms) of the whole
// sign-in and of each step, sign-ins/s.
//
//   node bench/signin-totp-driver.mjs BASE USERS CONCURRENCY PASSWORD
//
// Codes are computed here from the key the server showed (RFC 6238), at this machine's clock, which
// is the server's (same host, no clock control). The code is the next step's: the enrolment spent
// the current one, and one step ahead is within the accepted skew.
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const [base, usersArg, concurrencyArg, password] = process.argv.slice(2);
if (!base || !usersArg || !concurrencyArg || !password) {
  console.error('usage: signin-totp-driver.mjs BASE USERS CONCURRENCY PASSWORD');
  process.exit(2);
}
const users = Number(usersArg);
const concurrency = Number(concurrencyArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(base);
const run = Date.now().toString(36);

function post(endpoint, form, cookie) {
  const body = new URLSearchParams(form).toString();
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    origin: base,
  };
  if (cookie) headers.cookie = cookie;
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: `/api/${endpoint}`, method: 'POST', agent, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, cookies: res.headers['set-cookie'] || [], text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function cookieOf(reply, name) {
  for (const line of reply.cookies) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return null;
}

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(key, ms) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const h = createHmac('sha1', base32(key)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1_000_000;
  return String(n).padStart(6, '0');
}

function must(reply, what) {
  if (reply.status !== 200) throw new Error(`${what}: ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply;
}

async function enrol(i) {
  const email = `totp-${run}-${i}@bench.test`;
  const up = must(await post('sign_up', { email, display_name: `TOTP ${i}`, password }), 'sign_up');
  const session = `agora_session=${cookieOf(up, 'agora_session')}`;
  const enrolment = JSON.parse(must(await post('start_second_factor', {}, session), 'start_second_factor').text);
  must(await post('confirm_second_factor', { code: totp(enrolment.key, Date.now()) }, session), 'confirm_second_factor');
  return { email, key: enrolment.key };
}

async function pool(n, work) {
  let next = 0;
  const results = new Array(n);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
const round = (x) => Math.round(x * 100) / 100;
const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: round(pct(s, 50)), p90: round(pct(s, 90)), p99: round(pct(s, 99)), max: round(s[s.length - 1] || 0) };
};

const accounts = await pool(users, enrol);
const statuses = {};
const errors = {};
const whole = [];
const passwordStep = [];
const codeStep = [];
const count = (map, key) => (map[key] = (map[key] || 0) + 1);
const started = performance.now();
await pool(accounts.length, async (i) => {
  const { email, key } = accounts[i];
  try {
    const t0 = performance.now();
    const first = await post('sign_in', { email, password });
    const t1 = performance.now();
    const challenge = cookieOf(first, 'agora_second_factor');
    if (first.status !== 200 || !challenge) {
      count(statuses, `sign_in ${first.status}`);
      return;
    }
    const second = await post('sign_in_second_factor', { code: totp(key, Date.now() + 30_000) }, `agora_second_factor=${challenge}`);
    const t2 = performance.now();
    count(statuses, `${second.status}`);
    if (second.status !== 200 || !cookieOf(second, 'agora_session')) {
      if (!errors.first) errors.first = second.text.slice(0, 300);
      return;
    }
    whole.push(t2 - t0);
    passwordStep.push(t1 - t0);
    codeStep.push(t2 - t1);
  } catch (e) {
    count(errors, String(e.message || e));
  }
});
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    sign_ins: accounts.length,
    succeeded: whole.length,
    statuses,
    errors,
    sign_ins_per_s: round(whole.length / seconds),
    latency_ms: summary(whole),
    password_step_ms: summary(passwordStep),
    code_step_ms: summary(codeStep),
  }),
);
