// The seller queue: an operator returns an application with a reason, the applicant sees it and
// resubmits, the operator approves and activates, and the applicant is sent to the seller center.
import { test, expect } from '@playwright/test';
import { adminPage, applyToSell, approveAndActivate, hydrated, openSeller, signedUpPage, type Applicant } from '../helpers';

const MEI: Applicant = {
  contactName: 'Mei Chen',
  contactEmail: 'mei@example.com',
  contactPhone: '+65 6123 4567',
  businessType: 'individual',
  region: 'SG',
};

test('an operator returns, then approves and activates an application', async ({ browser }) => {
  const shop = `Lion City Crafts ${Date.now()}`;
  const applicant = await signedUpPage(browser, 'Mei Chen', 'mei');
  await applyToSell(applicant, shop, MEI, 'acra.png');

  const admin = await adminPage(browser);
  await openSeller(admin, shop);
  await expect(admin.getByTestId('document-row')).toContainText('acra.png');
  const ret = admin.getByTestId('return-form');
  await ret.getByLabel('Reason (shown to the applicant)').fill('Please upload the full registration page, not a crop.');
  await ret.getByRole('button', { name: 'Return application' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Returned');
  await expect(admin.getByTestId('seller-status').first()).toHaveText('Returned for changes');

  // The applicant sees what to fix and resubmits.
  await applicant.goto('/sell');
  await hydrated(applicant);
  await expect(applicant.getByTestId('last-reason')).toContainText('full registration page');
  await applicant.getByRole('button', { name: 'Resubmit application' }).click();
  await expect(applicant.getByTestId('seller-status')).toHaveText('Submitted');

  await openSeller(admin, shop);
  await approveAndActivate(admin);
  const history = admin.getByTestId('history-row');
  await expect(history).toHaveCount(6);
  await expect(history.nth(2)).toContainText('full registration page');
  await expect(admin.getByTestId('hidden-listings')).toHaveText('0');

  await applicant.goto('/sell');
  await expect(applicant.getByTestId('go-to-center')).toBeVisible();
});
