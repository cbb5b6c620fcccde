// The webhook receiver for the end-to-end specs: fixtures/webhook-receiver.mjs (the one the Rust tests
// use), started on 127.0.0.1 by a spec. It verifies every request's Standard Webhooks signature with npm
// `standardwebhooks` against the secrets it is given and records each request as a JSON line.
// The server may post to loopback because start-server.mjs sets AGORA_WEBHOOK_ALLOW_PRIVATE_TARGETS.
import { expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One request the receiver got. `verified`: one flag per secret it held, in order. */
export interface Received {
  path: string;
  id: string;
  timestamp: string;
  verified: boolean[];
  status: number | null;
  body: string;
}

export class Receiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Starts a receiver on a free port of 127.0.0.1. */
  static async start(): Promise<Receiver> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-e2e-webhooks-'));
    const script = path.join(__dirname, '..', 'fixtures', 'webhook-receiver.mjs');
    const child = spawn(process.execPath, [script, path.join(dir, 'requests.jsonl')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk) => {
        buffered += chunk;
        if (buffered.includes('\n')) resolve(JSON.parse(buffered.split('\n')[0]).port);
      });
      child.on('exit', (code) => reject(new Error(`webhook-receiver exited (${code}) before listening`)));
    });
    return new Receiver(child, port, dir);
  }

  /** The receiver's URL for `p` (its first segment picks how it answers: /ok, /410, ...). */
  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  /** The secrets to verify signatures with (replaces the list). */
  async secrets(secrets: string[]) {
    const res = await fetch(this.url('/_secrets'), { method: 'POST', body: JSON.stringify(secrets) });
    expect(res.status).toBe(204);
  }

  /** Every request received so far (on `p`, when given), oldest first. */
  requests(p?: string): Received[] {
    const file = path.join(this.dir, 'requests.jsonl');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Received)
      .filter((r) => p === undefined || r.path === p);
  }

  /** Waits until `count` requests came to `p`; returns them. */
  async waitFor(p: string, count = 1): Promise<Received[]> {
    await expect
      .poll(() => this.requests(p).length, { message: `${count} webhook request(s) to ${p}`, timeout: 20_000 })
      .toBeGreaterThanOrEqual(count);
    return this.requests(p);
  }

  stop() {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** With E2E_SCREENSHOTS=<dir>: the page as it is now (no reload, so transient state shows), English only. */
export async function snap(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
