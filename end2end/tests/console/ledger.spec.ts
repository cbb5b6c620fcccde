// The ledger console and commission rules: finance creates a commission rule version (a floor above
// the cap is refused next to the field), activates it with a reason and the password, and sees it
// replace the previous version; the ledger page shows the trial balance reading zero, the postings
// page filters, and a seller's balance page starts empty. The money flowing through the ledger is
// the subject of flows/orders.spec.ts.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { activeSellerViaApi, adminPage, hydrated, signedUpPage } from '../helpers';

const SHOTS = process.env.E2E_SCREENSHOTS;

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test('finance manages commission rule versions and reads a balanced ledger', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.goto('/console/commission');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'Commission rules', level: 1 })).toBeVisible();

  // A floor above the cap is refused next to the floor; nothing is created.
  const form = admin.getByTestId('new-rule-form');
  await form.getByLabel('Scope').selectOption('default');
  await form.getByLabel('Rate (%)').fill('12.5');
  await form.getByLabel('Floor').fill('5');
  await form.getByLabel('Cap').fill('2');
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(form.getByTestId('error-floor')).toHaveText('The floor cannot be above the cap.');

  await form.getByLabel('Cap').fill('50');
  await form.getByLabel('Fixed fee').fill('0.30');
  await form.getByLabel('Note').fill('Launch pricing');
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(admin.getByTestId('notice')).toContainText('The draft was created');
  const draft = admin.getByTestId('rule-row').filter({ hasText: 'Launch pricing' });
  await expect(draft.getByTestId('rule-status')).toHaveText('Draft');
  await expect(draft.getByTestId('rule-rate')).toHaveText('12.5 %');
  await shot(admin, 'commission-en');

  // Activation is protected: a wrong password is refused, then it goes through.
  await draft.getByRole('button', { name: 'Activate…' }).click();
  const activate = admin.getByTestId('activate-form');
  await activate.getByLabel('Reason').fill('Pricing agreed for the launch');
  await activate.getByLabel('Your password').fill('not my password');
  await activate.getByRole('button', { name: 'Activate this version' }).click();
  await expect(activate.getByTestId('error-password')).toBeVisible();
  await activate.getByLabel('Your password').fill(ADMIN.password);
  await activate.getByRole('button', { name: 'Activate this version' }).click();
  await expect(admin.getByTestId('notice')).toHaveText('The version is active.');
  await expect(admin.getByTestId('rule-row').filter({ hasText: 'Launch pricing' }).getByTestId('rule-status')).toHaveText('Active');

  // Only one default version is active: filtering by status shows it alone.
  await admin.goto('/console/commission?scope=default&status=active');
  await hydrated(admin);
  await expect(admin.getByTestId('rule-row')).toHaveCount(1);
  await expect(admin.getByTestId('rule-row')).toContainText('Launch pricing');

  // The ledger: the trial balance reads zero.
  await admin.goto('/console/ledger');
  await hydrated(admin);
  const trial = admin.getByTestId('trial-balance');
  await expect(trial).toHaveAttribute('data-balanced', 'true');
  await expect(trial).toContainText('All balances sum to zero');
  await admin.getByRole('button', { name: 'Verify now' }).click();
  await expect(admin.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true');
  await shot(admin, 'ledger-en');

  // Postings: a bad account filter is refused next to the field.
  await admin.getByRole('link', { name: 'Postings' }).first().click();
  await hydrated(admin);
  await admin.getByLabel('Account').fill('seller:abc');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin.getByTestId('error-account')).toBeVisible();
  await shot(admin, 'postings-en');

  // A seller's balance starts empty.
  const seller = await signedUpPage(browser, 'Zhao Min', 'ledger-seller');
  await activeSellerViaApi(seller, admin, `Ledger Tea ${Date.now().toString(36)}`);
  await seller.goto('/seller/balance');
  await hydrated(seller);
  await expect(seller.getByRole('heading', { name: 'Balance', level: 1 })).toBeVisible();
  await expect(seller.getByTestId('balance-pending')).toHaveAttribute('data-minor', '0');
  await expect(seller.getByTestId('balance-available')).toHaveAttribute('data-minor', '0');
  await expect(seller.getByText('No movements yet.')).toBeVisible();
  await shot(seller, 'balance-en');

  await admin.context().close();
  await seller.context().close();
});
