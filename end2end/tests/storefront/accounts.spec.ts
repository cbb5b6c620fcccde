// Buyer accounts: sign up, sign out, sign in, bad input, language.
import { test, expect } from '@playwright/test';
import { PASSWORD, hydrated, signUp, uniqueEmail } from '../helpers';

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
