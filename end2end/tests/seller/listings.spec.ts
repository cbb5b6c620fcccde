// The seller center: an active seller creates a listing with two variants (a colour option, one SKU
// per colour with its own price and stock), uploads a photo, submits it for review, and sees it
// pending review on the listing page and in the listings table.
import { test, expect } from '@playwright/test';
import { activeSeller, fillListing, hydrated, signUp, uniqueEmail } from '../helpers';

test('signed out, the seller center asks to sign in first', async ({ page }) => {
  await page.goto('/seller');
  await expect(page).toHaveURL(/\/signin\?next=\/seller$/);
});

test('a signed-in buyer is invited to apply', async ({ page }) => {
  await signUp(page, 'Bo Buyer', uniqueEmail('buyer'));
  await expect(page.getByTestId('account-link')).toBeVisible();
  await page.goto('/seller');
  await expect(page.getByTestId('not-seller')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Apply to sell' })).toHaveAttribute('href', '/sell');
});

test('a seller creates a listing with two variants and submits it for review', async ({ browser }) => {
  const shop = `Linen Works ${Date.now()}`;
  const page = await activeSeller(browser, shop);

  await page.goto('/seller');
  await hydrated(page);
  await expect(page.getByTestId('seller-status')).toHaveText('Active');
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await page.getByRole('link', { name: 'Create your first listing' }).click();
  await expect(page).toHaveURL(/\/seller\/listings\/new$/);
  await hydrated(page);

  const editor = page.getByTestId('listing-editor');
  await fillListing(page, {
    title: 'Washed linen tee',
    description: 'A soft washed linen tee with a relaxed fit, in two colours.',
    image: 'tee.png',
    weightGrams: '180',
    option: 'Colour',
    variants: [
      { value: 'Red', price: '20.00', stock: '5' },
      { value: 'Blue', price: '-3', stock: '3' },
    ],
  });

  // A negative price is refused next to its cell, and nothing is lost.
  await editor.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByTestId('form-error')).toContainText('cannot be negative');
  await editor.getByRole('textbox', { name: 'Price — Blue' }).fill('22.50');
  await editor.getByRole('button', { name: 'Submit for review' }).click();

  await expect(page).toHaveURL(/\/seller\/listings\/\d+\?done=submitted$/);
  await expect(page.getByTestId('action-done')).toHaveText('Submitted for review.');
  await expect(page.getByTestId('listing-status')).toHaveText('Pending review');
  await expect(page.getByTestId('in-review')).toBeVisible();
  await expect(page.getByTestId('evidence')).toBeVisible();
  await expect(page.getByTestId('history-item')).toHaveCount(1);

  await page.goto('/seller');
  const row = page.getByTestId('listing-row').filter({ hasText: 'Washed linen tee' });
  await expect(row).toBeVisible();
  await expect(row.getByTestId('listing-status')).toHaveText('Pending review');
  await expect(row).toContainText('$20.00');
  await expect(row).toContainText('8');
});
