// Launch readiness on a fresh production-like server (its own, started here: the run's shared server
// is a development one with clock control on, which is itself a blocker). Production settings
// (environment production, clock control off, bank transfer only, SMTP configured, no bootstrap
// token) leave four blockers: the console fixes two (the default commission rule, the platform bank
// account) by following the fix links; the other two (https public URL, Secure __Host- cookies) only
// configuration and TLS can fix, and a browser test cannot serve https, so the operator defers them,
// naming an owner and an expiry. Then one warning (the sign-up policy) is deferred too.
import { test, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hydrated, shots, totp } from '../helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const OPERATOR = { email: 'launch-lead@agora.example', name: 'Lena Launch', password: 'launch day at the harbour' };

let server: ChildProcess | null = null;
let dataDir = '';
let baseURL = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test.beforeAll(async () => {
  const targetDir = path.resolve(repoRoot, process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache', 'agora-target'));
  const bin = process.env.AGORA_SERVER_BIN || path.join(targetDir, 'debug', 'agora-server');
  const siteRoot = path.resolve(repoRoot, process.env.AGORA_SITE_ROOT || path.join('target', 'site'));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agora-e2e-readiness-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AGORA_ENVIRONMENT: 'production',
    AGORA_DATABASE_URL: `sqlite://${dataDir}/agora.db`,
    AGORA_UPLOADS_DIR: path.join(dataDir, 'uploads'),
    AGORA_SITE_ADDR: `127.0.0.1:${port}`,
    AGORA_PUBLIC_URL: baseURL,
    AGORA_SITE_ROOT: siteRoot,
    AGORA_CLOCK_CONTROL: 'false',
    AGORA_BOOTSTRAP_TOKEN: '',
    AGORA_PAYMENT_PROVIDERS: 'bank_transfer',
    // Configured; nothing in this test sends mail (port 9 would refuse it).
    AGORA_SMTP_HOST: '127.0.0.1',
    AGORA_SMTP_PORT: '9',
    AGORA_SMTP_SECURITY: 'none',
    AGORA_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
    AGORA_SIGNUP_POLICY: '',
    AGORA_LOG: 'warn',
    LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
    LEPTOS_SITE_ROOT: siteRoot,
    LEPTOS_OUTPUT_NAME: process.env.LEPTOS_OUTPUT_NAME || 'agora',
    LEPTOS_SITE_PKG_DIR: process.env.LEPTOS_SITE_PKG_DIR || 'pkg',
    LEPTOS_HASH_FILES: process.env.LEPTOS_HASH_FILES || 'true',
    LEPTOS_HASH_FILE_NAME: process.env.LEPTOS_HASH_FILE_NAME || 'hash.txt',
  };
  for (const args of [['migrate'], ['admin', 'create', '--email', OPERATOR.email, '--name', OPERATOR.name]]) {
    const r = spawnSync(bin, args, { cwd: repoRoot, env: { ...env, AGORA_ADMIN_PASSWORD: OPERATOR.password }, stdio: 'inherit' });
    expect(r.status, `agora-server ${args.join(' ')}`).toBe(0);
  }
  server = spawn(bin, ['serve'], { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
  await expect
    .poll(async () => fetch(`${baseURL}/readyz`).then((r) => r.status).catch(() => 0), { timeout: 30_000 })
    .toBe(200);
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Recovery codes of the operator, one per protected action (this server runs the real clock: a
 * fresh authenticator code would mean waiting for the next 30-second step). */
const recoveryCodes: string[] = [];

/** Signs the operator in. A production server requires operators to use two-step sign-in: the first
 * visit to the console leads to the account page, where the operator sets it up (the code computed
 * from the key shown, as an authenticator app would) and keeps the recovery codes. */
async function operatorPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Email').fill(OPERATOR.email);
  await page.getByLabel('Password').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account#second-factor$/);
  await hydrated(page);
  const section = page.getByTestId('second-factor');
  await expect(section.getByTestId('sf-required')).toContainText('Set up two-step sign-in to open the console');
  await section.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const key = (await section.getByTestId('sf-key').textContent())!;
  await section.getByLabel('Code from the app').fill(totp(key, Date.now()));
  await section.getByRole('button', { name: 'Turn on' }).click();
  await expect(section.getByTestId('sf-enabled')).toBeVisible();
  recoveryCodes.push(...(await section.getByTestId('recovery-code').allTextContents()));
  await section.getByRole('link', { name: 'Operations console' }).click();
  await expect(page).toHaveURL(/\/console$/);
  await hydrated(page);
  return page;
}

/** Fills the second-factor code of a protected form with the next unused recovery code. */
async function confirmCode(form: Locator) {
  await form.getByLabel('Code from your authenticator app').fill(recoveryCodes.shift()!);
}

const check = (page: Page, id: string) => page.locator(`[data-testid="check"][data-check="${id}"]`);

async function openReadiness(page: Page) {
  await page.goto('/console/readiness');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Launch readiness', level: 1 })).toBeVisible();
}

/** A date `days` ahead, as the date field takes it. */
function daysAhead(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function defer(page: Page, id: string, reason: string, expires = daysAhead(14)) {
  const form = page.getByTestId('defer-form');
  await form.getByLabel('Check', { exact: true }).selectOption(id);
  await form.getByLabel("Owner (an operator's email)").fill(OPERATOR.email);
  await form.getByLabel('Until (date)').fill(expires);
  await form.getByLabel('Reason (recorded in the audit log)').fill(reason);
  await form.getByLabel('Your password, to confirm').fill(OPERATOR.password);
  await confirmCode(form);
  await form.getByRole('button', { name: 'Defer' }).click();
}

test('an operator works a fresh production server down to no blocker and defers what only configuration fixes', async ({
  browser,
}) => {
  const page = await operatorPage(browser);

  // The sidebar leads to the page; a production server shows its blockers.
  await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Launch readiness' }).click();
  await expect(page).toHaveURL(/\/console\/readiness$/);
  await hydrated(page);
  await expect(page.getByTestId('readiness-environment')).toHaveText('Production');
  await expect(page.getByTestId('count-blocker')).toHaveText('4');
  for (const id of ['identity.https', 'identity.cookies', 'monetisation.commission', 'monetisation.bank_account']) {
    await expect(check(page, id)).toHaveAttribute('data-status', 'blocker');
  }
  for (const id of ['guardrails.environment', 'guardrails.clock_control', 'guardrails.security_headers', 'operations.audit_chain']) {
    await expect(check(page, id)).toHaveAttribute('data-status', 'ready');
  }
  await expect(check(page, 'guardrails.environment').locator('[data-fact="readiness.fact.environment"]')).toHaveText('production');
  // Blockers first, in area order: identity's two, then monetisation's first.
  await expect(page.getByTestId('next-action')).toHaveCount(3);
  await expect(page.getByTestId('next-action').nth(2)).toHaveAttribute('data-check', 'monetisation.commission');
  await shots(page, 'readiness-blockers');

  // The commission rule's fix link opens the commission page, where a default rule is created and
  // activated.
  await check(page, 'monetisation.commission').getByTestId('fix-link').click();
  await expect(page).toHaveURL(/\/console\/commission$/);
  await hydrated(page);
  const rule = page.getByTestId('new-rule-form');
  await rule.getByLabel('Scope').selectOption('default');
  await rule.getByLabel('Rate (%)').fill('8');
  await rule.getByLabel('Note').fill('Launch pricing');
  await rule.getByRole('button', { name: 'Create draft' }).click();
  await expect(page.getByTestId('notice')).toContainText('The draft was created');
  await page.getByTestId('rule-row').filter({ hasText: 'Launch pricing' }).getByRole('button', { name: 'Activate…' }).click();
  const activate = page.getByTestId('activate-form');
  await activate.getByLabel('Reason').fill('Launch pricing agreed');
  await activate.getByLabel('Your password').fill(OPERATOR.password);
  await confirmCode(activate);
  await activate.getByRole('button', { name: 'Activate this version' }).click();
  await expect(page.getByTestId('notice')).toHaveText('The version is active.');

  // The bank account's fix link opens the payment settings.
  await openReadiness(page);
  await expect(check(page, 'monetisation.commission')).toHaveAttribute('data-status', 'ready');
  await check(page, 'monetisation.bank_account').getByTestId('fix-link').click();
  await expect(page).toHaveURL(/\/console\/settings\/payments$/);
  await hydrated(page);
  const bank = page.getByTestId('bank-form');
  await bank.getByLabel('Account holder').fill('Agora Marketplace Ltd');
  await bank.getByLabel('Bank', { exact: true }).fill('Bank of Launches');
  await bank.getByLabel('Account number').fill('6222 0000 1234 5678');
  await bank.getByLabel('Reason (recorded in the audit log)').fill('The account buyers pay into');
  await bank.getByLabel('Your password, to confirm').fill(OPERATOR.password);
  await confirmCode(bank);
  await bank.getByRole('button', { name: 'Save bank account' }).click();
  await expect(page.getByTestId('action-done')).toContainText('Bank account saved');

  // What is left is configuration only: https and the cookies that follow it. Their fix names the
  // setting; the operator defers them to the person who owns the TLS set-up.
  await openReadiness(page);
  await expect(page.getByTestId('count-blocker')).toHaveText('2');
  await expect(check(page, 'identity.https').getByTestId('fix-setting')).toHaveText('public_url');

  // An expiry in the past is refused next to the field; nothing is deferred.
  await defer(page, 'identity.https', 'TLS certificate ordered', daysAhead(-1));
  await expect(page.getByTestId('error-expires')).toHaveText('The date must be after today.');
  await expect(check(page, 'identity.https')).toHaveAttribute('data-status', 'blocker');

  await defer(page, 'identity.https', 'TLS certificate ordered, goes live with the load balancer');
  await expect(page.getByTestId('action-done')).toHaveText('The check was deferred.');
  await expect(check(page, 'identity.https')).toHaveAttribute('data-status', 'deferred');
  await defer(page, 'identity.cookies', 'Follows the https public URL');
  await expect(check(page, 'identity.cookies')).toHaveAttribute('data-status', 'deferred');
  await expect(page.getByTestId('count-blocker')).toHaveText('0');

  // One warning deferred with its owner and expiry: the sign-up policy is decided with legal.
  await expect(check(page, 'identity.signup_policy')).toHaveAttribute('data-status', 'warning');
  await defer(page, 'identity.signup_policy', 'Waiting for the terms of service', daysAhead(30));
  const policy = check(page, 'identity.signup_policy');
  await expect(policy).toHaveAttribute('data-status', 'deferred');
  await expect(policy.getByTestId('deferral-owner')).toHaveText(OPERATOR.email);
  await expect(policy.getByTestId('deferral-reason')).toHaveText('Waiting for the terms of service');
  await expect(page.getByTestId('count-deferred')).toHaveText('3');
  await shots(page, 'readiness-deferred');

  // The deferrals are in the audit log.
  await page.goto('/console/audit?action=readiness.defer');
  await hydrated(page);
  await expect(page.getByTestId('audit-table')).toContainText('identity.signup_policy');
});
