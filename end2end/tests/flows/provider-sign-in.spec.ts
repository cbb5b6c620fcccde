// Sign-in with a provider, in the browser: the run's real OpenID Connect provider
// (fixtures/oidc-provider.mjs, accounts grace and linus) and its GitHub stand-in
// (fixtures/github-stand-in.mjs, account octo), both started by start-server.mjs. A new identity makes
// an account and signs it in; an identity whose email already has an account links only after that
// account's password; the account page lists identities and keeps the last way in.
import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, shotAsIs, shots, signUp } from '../helpers';

async function signInAtProvider(page: import('@playwright/test').Page, login: string) {
  await page.goto('/signin');
  await hydrated(page);
  await page.getByRole('link', { name: 'Sign in with Local ID' }).click();
  // The provider's own page (a form of the test provider).
  await page.getByLabel('Login').fill(login);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a new identity signs up through the provider; its only way in cannot be removed', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/signin');
  await hydrated(page);
  await expect(page.getByTestId('provider-sign-in')).toBeVisible();
  await shots(page, 'sign-in-with-provider');
  await signInAtProvider(page, 'grace');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('account-link')).toHaveText('Grace Hopper');

  await page.goto('/account');
  await hydrated(page);
  const methods = page.getByTestId('identities');
  await expect(methods.getByTestId('identity')).toContainText('Local ID · grace@oidc.test');
  await methods.getByRole('button', { name: 'Remove' }).click();
  await expect(methods.getByRole('alert')).toContainText('This is your only way to sign in');
  await expect(methods.getByTestId('identity')).toHaveCount(1);
  await shots(page, 'account-sign-in-methods');
});

test('an identity whose email has an account links after that account password', async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signUp(owner, 'Linus Link', 'linus@oidc.test');
  await expect(owner.getByTestId('account-link')).toHaveText('Linus Link');

  const page = await (await browser.newContext()).newPage();
  await signInAtProvider(page, 'linus');
  await expect(page).toHaveURL(/\/signin\/link\?token=/);
  await hydrated(page);
  await expect(page.getByTestId('link-account')).toContainText('linus@oidc.test');
  const form = page.getByTestId('link-form');
  await form.getByLabel('Password').fill('not the password');
  await form.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(form.getByTestId('error-password')).toBeVisible();
  await shotAsIs(page, 'sign-in-link-refused');
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Confirm and sign in' }).click();
  await expect(page.getByTestId('account-link')).toHaveText('Linus Link');

  // Having a password, the owner may remove the provider again.
  await page.goto('/account');
  await hydrated(page);
  const methods = page.getByTestId('identities');
  await expect(methods.getByTestId('identity')).toContainText('linus@oidc.test');
  await methods.getByRole('button', { name: 'Remove' }).click();
  await expect(methods.getByTestId('identities-empty')).toBeVisible();
});

test('GitHub signs a new user up with their verified primary email', async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/signin');
  await hydrated(page);
  await page.getByRole('link', { name: 'Sign in with GitHub' }).click();
  // The stand-in's authorize page (GitHub's own, in production).
  await page.getByLabel('Login').fill('octo');
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('account-link')).toHaveText('Octo Cat');
  await page.goto('/account');
  await hydrated(page);
  await expect(page.getByTestId('identities').getByTestId('identity')).toContainText('GitHub · octo@github.test');
  await expect(page.getByTestId('identities').getByRole('link', { name: 'Add Local ID' })).toBeVisible();
});

test('a callback nobody started is refused on the sign-in page', async ({ page }) => {
  await page.goto('/api/provider_callback?code=forged&state=forged');
  await expect(page).toHaveURL(/\/signin\?provider_error=provider\.state_mismatch/);
  await expect(page.getByTestId('provider-error')).toHaveText('This sign-in was started in another browser. Start again here.');
  await expect(page.getByTestId('account-link')).toHaveCount(0);
});
