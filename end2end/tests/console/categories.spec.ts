// Categories: an operator creates a category and a subcategory, disables the parent (the child is
// then hidden from browse) and enables it again.
import { test, expect } from '@playwright/test';
import { adminPage, hydrated } from '../helpers';

test('an operator creates categories and disables one', async ({ browser }) => {
  const admin = await adminPage(browser);
  const stamp = Date.now();
  const parent = `Tea ${stamp}`;
  const child = `Green tea ${stamp}`;
  await admin.goto('/console/categories');
  await hydrated(admin);

  const form = admin.getByTestId('create-category-form');
  // A slug with spaces is refused next to its field.
  await form.getByLabel('Name (English)').fill(parent);
  await form.getByLabel('Name (Chinese)').fill('茶');
  await form.getByLabel('Slug').fill('Bad Slug');
  await form.getByRole('button', { name: 'Create category' }).click();
  await expect(form.getByTestId('error-slug')).toBeVisible();

  await form.getByLabel('Slug').fill(`tea-${stamp}`);
  await form.getByRole('button', { name: 'Create category' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Category created.');
  const parentRow = admin.getByTestId('category-row').filter({ hasText: parent }).first();
  await expect(parentRow.getByTestId('category-status').first()).toHaveText('Enabled');

  await form.getByLabel('Name (English)').fill(child);
  await form.getByLabel('Name (Chinese)').fill('绿茶');
  await form.getByLabel('Slug').fill(`green-tea-${stamp}`);
  await form.getByLabel('Parent').selectOption({ label: parent });
  await form.getByRole('button', { name: 'Create category' }).click();
  const childRow = admin.locator(`[data-testid="category-row"][data-slug="green-tea-${stamp}"]`);
  await expect(childRow).toBeVisible();

  const parentOnly = admin.locator(`[data-testid="category-row"][data-slug="tea-${stamp}"]`);
  await parentOnly.getByRole('button', { name: 'Disable' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Category disabled');
  await expect(parentOnly.getByTestId('category-status')).toHaveText('Disabled');
  await expect(childRow.getByTestId('category-status')).toHaveText('Hidden (a parent is disabled)');

  // The storefront's browse tree no longer has them.
  const browse = await admin.request.post('/api/category_tree', { form: {} });
  const names = ((await browse.json()) as { name_en: string }[]).map((n) => n.name_en);
  expect(names).not.toContain(parent);
  expect(names).not.toContain(child);

  await parentOnly.getByRole('button', { name: 'Enable' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Category enabled.');
  await expect(childRow.getByTestId('category-status')).toHaveText('Enabled');
});
