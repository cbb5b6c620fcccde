// Shared steps for the end-to-end tests: each one is a thing a person does in the browser.
import { expect, type Browser, type Page } from '@playwright/test';
import { ADMIN } from '../fixtures/accounts';

export const PASSWORD = 'a quiet harbour at dawn';

export function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Waits until the page's WASM has hydrated, so clicks reach Rust event handlers. */
export async function hydrated(page: Page) {
  await page.waitForLoadState('networkidle');
}

export async function signUp(page: Page, name: string, email: string, password = PASSWORD) {
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh browser context signed in as the bootstrap super admin, on the command center. */
export async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/console$/);
  return page;
}

/** Opens a user's detail page through the directory's search, as an operator would. */
export async function openUser(page: Page, email: string) {
  await page.goto('/console/users');
  await hydrated(page);
  await page.getByLabel('Email or name contains').fill(email);
  await page.getByLabel('Email or name contains').press('Enter');
  await page.getByRole('link', { name: email }).click();
  await expect(page.getByTestId('user-email')).toHaveText(email);
  await hydrated(page);
}
