// Notification preferences and the unsubscribe link (issue 12): a seller turns off order emails on the
// preferences page, then follows the unsubscribe link of a real mail (the listing approval the run's
// SMTP server received) without being signed in, and sees what was turned off.
import { test, expect } from '@playwright/test';
import { adminPage, hydrated, shopWithListing, shots } from '../helpers';
import { unsubscribeLink, waitForMail } from '../mail';

test('a seller turns off an email category, then unsubscribes from another with a mail link', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await adminPage(browser);
  const shop = await shopWithListing(browser, admin, 'Pia Prefs', `Prefs Tea ${Date.now()}`, 'Oolong', '12.00');
  const page = shop.page;

  // The account page links to the preferences; orders by email goes off.
  await page.goto('/account');
  await hydrated(page);
  await page.getByRole('link', { name: 'Notification preferences' }).click();
  await expect(page.getByRole('heading', { name: 'Notification preferences' })).toBeVisible();
  await hydrated(page);
  const ordersEmail = page.getByLabel('Orders and refunds: Email');
  await expect(ordersEmail).toBeChecked();
  await expect(page.getByLabel('Account security: Email')).toBeDisabled();
  await expect(page.getByLabel('Account security: Email')).toBeChecked();
  await ordersEmail.uncheck();
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status')).toHaveText('Your preferences are saved.');
  await expect(page.getByLabel('Orders and refunds: Email')).not.toBeChecked();
  await shots(page, 'account-notification-preferences');

  // The listing approval mail carries a one-click unsubscribe link; it works signed out.
  const mail = await waitForMail({ to: shop.email, subject: /Oolong/ });
  expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto(unsubscribeLink(mail));
  await hydrated(anonymous);
  await expect(anonymous.getByTestId('unsubscribe')).toContainText('Listings and seller applications');
  await expect(anonymous.getByTestId('unsubscribe')).toContainText(shop.email);
  await shots(anonymous, 'unsubscribe');
  await anonymous.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(anonymous.getByTestId('unsubscribe-done')).toContainText('are turned off');

  // A link with a forged token is refused and says so.
  await anonymous.goto(unsubscribeLink(mail).replace(/token=\d+\./, 'token=1.'));
  await expect(anonymous.getByText('This unsubscribe link is not valid')).toBeVisible();

  // Both choices show on the preferences page.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Listings and seller applications: Email')).not.toBeChecked();
  await expect(page.getByLabel('Orders and refunds: Email')).not.toBeChecked();
  await expect(page.getByLabel('Orders and refunds: In the app')).toBeChecked();
});
