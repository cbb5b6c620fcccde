// Two-step sign-in: a buyer turns it on from the account page (a QR code and the key in text, a first
// code, ten recovery codes shown once), then signs in with the password and a code (a code used once
// is refused), with a recovery code, and turns it off; an operator who has it is asked for a current
// code by a protected action in the console. Codes are computed from the key shown on the page, as an
// authenticator app would, at the server's clock (which the specs move forward).
import { test, expect, Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { PASSWORD, adminPage, advanceClock, call, hydrated, openTab, openUser, shotAsIs, shots, signIn, signUp, totp, uniqueEmail } from '../helpers';

const STEP_MS = 30_000;

/** The code the app shows now, at the server's clock. */
async function codeNow(page: Page, key: string): Promise<string> {
  const res = await page.request.post('/__dev/clock/advance?ms=0');
  expect(res.ok()).toBeTruthy();
  return totp(key, Number(await res.text()));
}

/** The next step's code, after moving the clock on to it: the one just used is spent. */
async function nextCode(page: Page, key: string): Promise<string> {
  await advanceClock(page, STEP_MS);
  return codeNow(page, key);
}

async function enrol(page: Page, screenshots = false): Promise<{ key: string; codes: string[] }> {
  await page.goto('/account');
  await hydrated(page);
  const section = page.getByTestId('second-factor');
  await expect(section.getByTestId('sf-off')).toBeVisible();
  await section.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  await expect(section.getByRole('img', { name: 'QR code of the key for your authenticator app' })).toBeVisible();
  const key = (await section.getByTestId('sf-key').textContent())!.trim();
  expect(key.replace(/ /g, '')).toMatch(/^[A-Z2-7]{32}$/);
  if (screenshots) await shotAsIs(page, 'account-second-factor-scan');
  // A wrong code turns nothing on.
  const right = await codeNow(page, key);
  await section.getByLabel('Code from the app').fill(String((Number(right) + 500_000) % 1_000_000).padStart(6, '0'));
  await section.getByRole('button', { name: 'Turn on' }).click();
  await expect(section.getByText('That code is not right')).toBeVisible();
  await section.getByLabel('Code from the app').fill(await codeNow(page, key));
  await section.getByRole('button', { name: 'Turn on' }).click();
  await expect(section.getByTestId('sf-enabled')).toHaveText('Two-step sign-in is on.');
  const codes = await section.getByTestId('recovery-code').allTextContents();
  expect(codes).toHaveLength(10);
  if (screenshots) await shotAsIs(page, 'account-second-factor-codes');
  return { key, codes };
}

async function toCodeStep(page: Page, email: string) {
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  await hydrated(page);
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel('Code from the app, or a recovery code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}

test('a buyer turns on two-step sign-in, signs in with a code and a recovery code, and turns it off', async ({ browser }) => {
  const email = uniqueEmail('two-step');
  const page = await (await browser.newContext()).newPage();
  await signUp(page, 'Tia Two-Step', email);
  await expect(page.getByTestId('account-link')).toHaveText('Tia Two-Step');
  const { key, codes } = await enrol(page, true);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('sf-on')).toBeVisible();
  await expect(page.getByTestId('sf-codes-left')).toHaveText('Recovery codes left: 10');
  await shots(page, 'account-second-factor-on');

  // The password alone no longer signs in: the code step follows.
  const phone = await (await browser.newContext()).newPage();
  await toCodeStep(phone, email);
  await expect(phone.getByTestId('account-link')).toHaveCount(0);
  await shots(phone, 'sign-in-second-factor');
  const code = await nextCode(phone, key);
  await enterCode(phone, code);
  await expect(phone.getByTestId('account-link')).toHaveText('Tia Two-Step');

  // The same code does not work twice.
  const laptop = await (await browser.newContext()).newPage();
  await toCodeStep(laptop, email);
  await enterCode(laptop, code);
  await expect(laptop.getByText('That code was already used')).toBeVisible();
  await shotAsIs(laptop, 'sign-in-second-factor-reused');
  // A recovery code stands in for the phone, once.
  await enterCode(laptop, codes[0]);
  await expect(laptop.getByTestId('account-link')).toHaveText('Tia Two-Step');

  // Turning it off takes the password and a code; then the password alone signs in again.
  await page.goto('/account');
  await hydrated(page);
  await expect(page.getByTestId('sf-codes-left')).toHaveText('Recovery codes left: 9');
  await page.locator('summary', { hasText: 'Turn off two-step sign-in' }).click();
  const off = page.getByTestId('sf-disable-form');
  await off.getByLabel('Your password').fill(PASSWORD);
  await off.getByLabel('Code from the app, or a recovery code').fill(await nextCode(page, key));
  await off.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
  await expect(page.getByTestId('sf-disabled')).toBeVisible();
  await expect(page.getByTestId('sf-off')).toBeVisible();
  const tablet = await (await browser.newContext()).newPage();
  await signIn(tablet, email, PASSWORD);
  await expect(tablet.getByTestId('account-link')).toHaveText('Tia Two-Step');
});

test('an operator with two-step sign-in confirms a protected action with a current code', async ({ browser }) => {
  const opEmail = uniqueEmail('op-two-step');
  const op = await (await browser.newContext()).newPage();
  await signUp(op, 'Olu Operator', opEmail);
  await expect(op.getByTestId('account-link')).toHaveText('Olu Operator');
  const me = await call(op.request, 'whoami', {});
  const admin = await adminPage(browser);
  await call(admin.request, 'set_user_roles', {
    id: String(me.user_id),
    'roles[]': 'admin',
    reason: 'Olu joins the support rota',
    password: ADMIN.password,
  });
  await admin.context().close();
  const { key } = await enrol(op);

  const targetEmail = uniqueEmail('lost-phone');
  const target = await (await browser.newContext()).newPage();
  await signUp(target, 'Lia Lost', targetEmail);
  await expect(target.getByTestId('account-link')).toHaveText('Lia Lost');

  await openUser(op, targetEmail);
  await openTab(op, 'Sessions');
  const form = op.getByTestId('sessions-end-form');
  await expect(form.getByLabel('Code from your authenticator app')).toBeVisible();
  await form.getByLabel('Reason (recorded in the audit log)').fill('The user reported a lost phone');
  await form.getByLabel('Your password, to confirm').fill(PASSWORD);
  const right = await nextCode(op, key);
  await form.getByLabel('Code from your authenticator app').fill(String((Number(right) + 500_000) % 1_000_000).padStart(6, '0'));
  await form.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(form.getByTestId('error-code')).toContainText('That code is not right');
  await shotAsIs(op, 'console-protected-action-code');
  await form.getByLabel('Code from your authenticator app').fill(await codeNow(op, key));
  await form.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(op.getByTestId('action-done')).toContainText('Every session of this user ended');
});
