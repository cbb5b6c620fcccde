// Buyer accounts: sign up, sign out, sign in, bad input, language, where you are signed in.
import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, shots, signIn, signUp, uniqueEmail } from '../helpers';

test('a buyer signs up, signs out and signs in again', async ({ page }) => {
  const email = uniqueEmail('buyer');
  await signUp(page, 'Bea Buyer', email);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('account-link')).toHaveText('Bea Buyer');

  await page.getByTestId('account-link').click();
  await expect(page.getByTestId('account-email')).toHaveText(email);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByTestId('account-link')).toHaveCount(0);

  await page.getByRole('link', { name: 'Sign in' }).click();
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('account-link')).toHaveText('Bea Buyer');
});

test('bad sign-up input is explained next to the field and creates nothing', async ({ page }) => {
  const email = uniqueEmail('weak');
  await signUp(page, 'Wendy', email, 'password123');
  await expect(page.getByTestId('error-password')).toContainText('too common');
  await expect(page).toHaveURL(/\/signup/);

  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // The browser's own length check or ours: either way the account is not created.
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('error-password')).toContainText('not correct');
});

test('a taken email is refused', async ({ page, browser }) => {
  const email = uniqueEmail('twice');
  await signUp(page, 'First', email);
  await expect(page.getByTestId('account-link')).toHaveText('First');
  const other = await browser.newPage();
  await signUp(other, 'Second', email);
  await expect(other.getByTestId('error-email')).toContainText('already exists');
  await other.close();
});

test('the language switch turns the page into Chinese and is remembered', async ({ page }) => {
  await page.goto('/signin');
  await hydrated(page);
  // The page switches at once; the choice is saved by a request that must land before the reload.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/set_language') && r.ok()),
    page.getByTestId('language-switch').click(),
  ]);
  await expect(page.getByRole('heading', { name: '登录 Agora' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: '登录 Agora' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { name: 'Sign in to Agora' })).toBeVisible();
});

test('a buyer sees where they are signed in and signs another device out', async ({ browser }) => {
  const email = uniqueEmail('twodevices');
  const laptop = await (await browser.newContext()).newPage();
  await signUp(laptop, 'Tess Two', email);
  await expect(laptop.getByTestId('account-link')).toHaveText('Tess Two');
  const phone = await (await browser.newContext()).newPage();
  await signIn(phone, email, PASSWORD);
  await expect(phone.getByTestId('account-link')).toHaveText('Tess Two');

  await laptop.goto('/account');
  await hydrated(laptop);
  const sessions = laptop.getByTestId('sessions');
  await expect(sessions.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();
  await expect(sessions.getByTestId('session-row')).toHaveCount(2);
  await expect(sessions.getByTestId('this-device')).toHaveCount(1);
  await expect(sessions.getByTestId('session-table')).toContainText('Chrome on Linux');
  await shots(laptop, 'account-sessions');
  await sessions.getByRole('button', { name: /^Sign out \(/ }).click();
  await expect(sessions.getByTestId('sessions-ended')).toBeVisible();
  await expect(sessions.getByTestId('session-row')).toHaveCount(1);
  await expect(sessions.getByRole('button', { name: 'Sign out everywhere else' })).toHaveCount(0);

  await phone.reload();
  await expect(phone.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await laptop.reload();
  await expect(laptop.getByTestId('account-email')).toHaveText(email);
});
