// Playwright end-to-end tests for Agora.
//
//   npx playwright test -c end2end/playwright.config.ts      (scripts/test.sh does this after the build)
//
// Needs the debug server binary and site from `cargo leptos build --split` (scripts/test.sh runs it first).
// Playwright starts its own server for the run (fixtures/start-server.mjs): a free port, a fresh SQLite
// database in a temp dir, an admin account (fixtures/accounts.ts) and the test-only clock endpoint.
// The browser is Debian's Chromium; Playwright never downloads one.
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, BOOTSTRAP_TOKEN } from './fixtures/accounts';

// This file is evaluated by the runner and again by every worker process. The port is chosen once, by
// the runner, and stored in process.env, which the workers inherit, so they all agree on baseURL.
// E2E_PORT set beforehand wins (e.g. to point the tests at a known port).
if (!process.env.E2E_PORT) {
  // Node has no synchronous socket API, so ask a short-lived node process for a free port.
  process.env.E2E_PORT = execFileSync(
    process.execPath,
    [
      '-e',
      "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });",
    ],
    { encoding: 'utf8' },
  ).trim();
}
const port = process.env.E2E_PORT;
// Where the run's SMTP server (fixtures/mail-server.mjs, started by start-server.mjs) stores the mail
// it receives; tests read it with tests/mail.ts. Chosen once by the runner, like the port.
if (!process.env.E2E_MAILDIR) {
  process.env.E2E_MAILDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-e2e-mail-'));
}
const baseURL = `http://127.0.0.1:${port}`;

const isCI = !!process.env.CI;

export default defineConfig({
  testDir: path.join(__dirname, 'tests'),
  outputDir: path.join(__dirname, 'test-results'),
  // One worker: the machine has 2 cores and the server and the browser need them.
  workers: 1,
  fullyParallel: false,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  reporter: 'list',
  // A debug build on 2 cores: leave room for slow first renders.
  timeout: 60_000,
  expect: { timeout: 10_000 },

  use: {
    baseURL,
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox', // we run as root, where Chromium's sandbox cannot start
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        // No traffic of Chromium's own: this machine reaches no network beyond package registries.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },

  projects: [
    {
      // Not devices['Desktop Chrome']: its user agent claims Playwright's bundled Chrome on Windows;
      // keep Debian Chromium's own user agent and just fix the viewport.
      name: 'chromium',
      use: { browserName: 'chromium', viewport: { width: 1280, height: 720 } },
    },
  ],

  webServer: {
    command: `node ${JSON.stringify(path.join(__dirname, 'fixtures', 'start-server.mjs'))}`,
    // Ready means migrated and the database reachable, not just listening.
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    // Migrations, the admin's password hash and the server start; generous for a loaded CI machine.
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets start-server.mjs stop the server and delete the run's temp data dir.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    env: {
      E2E_PORT: port,
      E2E_ADMIN_EMAIL: ADMIN.email,
      E2E_ADMIN_NAME: ADMIN.name,
      E2E_ADMIN_PASSWORD: ADMIN.password,
      E2E_BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN,
      E2E_MAILDIR: process.env.E2E_MAILDIR,
    },
  },
});
