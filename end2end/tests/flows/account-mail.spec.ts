// The account mails end to end, with the real mails from the test mail server (tests/mail.ts): a new
// account verifies its address from the link in its mail; a forgotten password is reset from the
// link in its mail, which signs out an older session in another browser; a mailed code signs in.
import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, linkIn, shots, signIn, signUp, uniqueEmail } from '../helpers';
import { waitForMail } from '../mail';

const NEW_PASSWORD = 'a lantern over the river';

test('sign up, the verification mail, its link: the address is verified', async ({ page }) => {
  const email = uniqueEmail('verify');
  await signUp(page, 'Vera Lind', email);
  await expect(page.getByTestId('account-link')).toHaveText('Vera Lind');

  await page.goto('/account');
  await hydrated(page);
  await expect(page.getByTestId('email-state')).toHaveText('Not verified yet');
  await shots(page, 'account-unverified');

  const mail = await waitForMail({ to: email, subject: 'Confirm your email address for Agora' });
  expect(mail.text).toContain('Hello Vera Lind');
  await page.goto(linkIn(mail.text, '/account/verify'));
  await hydrated(page);
  await shots(page, 'verify-email');
  await page.getByRole('button', { name: 'Verify my address' }).click();
  await expect(page.getByTestId('done')).toHaveText('Your email address is verified.');

  await page.getByRole('link', { name: 'Go to your account' }).click();
  await expect(page.getByTestId('email-state')).toHaveText('Verified');

  // The link works once.
  await page.goto(linkIn(mail.text, '/account/verify'));
  await hydrated(page);
  await page.getByRole('button', { name: 'Verify my address' }).click();
  await expect(page.getByTestId('form-error')).toContainText('already used');
});

test('a forgotten password: the mail, its link, a new password, and an older session is signed out', async ({ browser }) => {
  const email = uniqueEmail('forgot');
  // The older session: signed up in one browser, which stays open.
  const older = await (await browser.newContext()).newPage();
  await signUp(older, 'Finn Ash', email);
  await expect(older.getByTestId('account-link')).toHaveText('Finn Ash');

  // Another browser, signed out, has forgotten the password.
  const page = await (await browser.newContext()).newPage();
  await page.goto('/signin');
  await hydrated(page);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await hydrated(page);
  await shots(page, 'forgot-password');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByTestId('done')).toContainText('If an account exists for this address');

  const mail = await waitForMail({ to: email, subject: 'Reset your Agora password' });
  const link = linkIn(mail.text, '/reset-password');
  await page.goto(link);
  await hydrated(page);
  await shots(page, 'reset-password');
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByTestId('error-new_password')).toBeVisible();
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await expect(page.getByTestId('done')).toContainText('Your password is changed');

  // The older browser's session ended with the reset.
  await older.goto('/account');
  await expect(older).toHaveURL(/\/signin/);
  await expect(older.getByTestId('account-link')).toHaveCount(0);

  // The old password no longer works; the new one does.
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('error-password')).toContainText('not correct');
  await signIn(page, email, NEW_PASSWORD);
  await expect(page.getByTestId('account-link')).toHaveText('Finn Ash');

  // The link was spent.
  await page.goto(link);
  await expect(page.getByTestId('form-error')).toContainText('already used');
  await expect(page.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
});

test('signing in with a code from the mail, offered beside the password', async ({ browser }) => {
  const email = uniqueEmail('code');
  const first = await (await browser.newContext()).newPage();
  await signUp(first, 'Cora Bell', email);
  await expect(first.getByTestId('account-link')).toHaveText('Cora Bell');

  const page = await (await browser.newContext()).newPage();
  await page.goto('/signin');
  await hydrated(page);
  await page.getByTestId('code-sign-in-link').click();
  await expect(page).toHaveURL(/\/signin\/code/);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByTestId('done')).toContainText('we sent it a code');

  const mail = await waitForMail({ to: email, subject: 'Your Agora sign-in code' });
  const code = mail.text.match(/\b\d{6}\b/)?.[0];
  expect(code).toBeTruthy();
  await page.getByLabel('Code from the mail').fill(code!);
  await shots(page, 'sign-in-code');
  await page.getByRole('button', { name: 'Sign in with the code' }).click();
  await expect(page.getByTestId('account-link')).toHaveText('Cora Bell');
});
