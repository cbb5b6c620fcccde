// Applying to sell: a signed-in user fills the application, saves a draft, uploads a business
// licence (a generated PNG) and submits; the tracker then shows the application in review.
import { test, expect } from '@playwright/test';
import { hydrated, saveApplicationDraft, signUp, uniqueEmail, uploadLicence, verifyAddress } from '../helpers';

test('signed out, /sell asks to sign in first', async ({ page }) => {
  await page.goto('/sell');
  await expect(page).toHaveURL(/\/signin\?next=\/sell$/);
});

test('a user applies to sell: draft, business licence, submit, and the tracker shows the review', async ({ page }) => {
  const email = uniqueEmail('applicant');
  await signUp(page, 'Li Wei', email);
  await expect(page.getByTestId('account-link')).toBeVisible();
  // Applying to sell needs a proven address.
  await verifyAddress(page, email);
  await page.goto('/sell');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Sell on Agora' })).toBeVisible();

  // A bad phone number is explained next to its field and nothing is saved.
  const form = page.getByTestId('application-form');
  await form.getByLabel('Shop or business name').fill('Fujian Tea House');
  await form.getByLabel('Contact person').fill('Li Wei');
  await form.getByLabel('Contact email').fill('li@example.com');
  await form.getByLabel('Contact phone').fill('12');
  await form.getByLabel('Business type').selectOption('company');
  await form.getByLabel('Region').selectOption('CN');
  await form.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByTestId('error-contact_phone')).toBeVisible();

  await saveApplicationDraft(page, 'Fujian Tea House');

  // Submitting without a licence is refused with the reason.
  await page.getByRole('button', { name: 'Submit application' }).click();
  await expect(page.getByTestId('error-documents')).toBeVisible();

  await uploadLicence(page, 'licence.png');
  await expect(page.getByTestId('document-row').filter({ hasText: 'licence.png' })).toContainText('Business licence');

  await page.getByRole('button', { name: 'Submit application' }).click();
  await expect(page.getByTestId('seller-status')).toHaveText('Submitted');
  await expect(page.getByTestId('next-step')).toContainText('reviewing');
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  // Locked while in review: no form, no upload.
  await expect(page.getByTestId('application-form')).toHaveCount(0);
  await expect(page.getByTestId('upload-form')).toHaveCount(0);
});
