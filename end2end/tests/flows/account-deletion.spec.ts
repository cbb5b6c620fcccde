// Account deletion: a buyer asks while an order is open (refused, told why), cancels the order and asks
// again; an operator approves from the user's console page (the buyer can no longer sign in and is told
// until when the account can be restored), restores it, and after a second approval the purge runs
// 30 days later (the console then shows the anonymized account).
import { test, expect } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import {
  PASSWORD,
  adminPage,
  advanceClock,
  call,
  ensurePlatformBankAccount,
  hydrated,
  newUser,
  openTab,
  openUser,
  saveBuyerAddress,
  shopWithListing,
  shotAsIs,
  shots,
  signIn,
  signInAgain,
} from '../helpers';

const DAY = 86_400_000;

test('a buyer asks to delete the account; refused with an open order, then approved, restored and purged', async ({ browser }) => {
  test.setTimeout(240_000);
  const word = `leave${Date.now().toString(36)}`;
  const admin = await adminPage(browser);
  // Checkout opens with a default commission rule and the platform's bank account.
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e deletion' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end deletion flow', password: ADMIN.password });
  await ensurePlatformBankAccount(admin, 'The pay page shows where to send money');
  const shop = await shopWithListing(browser, admin, 'Lin Tao', `Tea Co ${word}`, `Oolong ${word}`, '12.00');
  const [buyer, email] = await newUser(browser, 'Ada Leaving', 'flow-deletion');
  await saveBuyerAddress(buyer);

  // An unpaid order is open.
  await buyer.goto(`/p/${shop.listing}`);
  await hydrated(buyer);
  await buyer.getByTestId('add-to-cart').getByRole('button', { name: 'Add to cart' }).click();
  await expect(buyer.getByTestId('cart-link')).toContainText('1');
  await buyer.goto('/checkout');
  await hydrated(buyer);
  await buyer.getByLabel(/Bank transfer/).check();
  await buyer.getByRole('button', { name: 'Place order' }).click();
  await expect(buyer).toHaveURL(/\/checkout\/\d+\/pay$/);
  const number = (await buyer.getByTestId('payment-order').first().textContent())!.match(/AG-\d{8}-\d{8}-\d+/)![0];

  // Asking is refused, with the reason; nothing is recorded.
  await buyer.goto('/account');
  await hydrated(buyer);
  const section = buyer.getByTestId('account-deletion');
  await section.getByLabel('Why are you leaving? (optional)').fill('Moving abroad');
  await section.getByLabel('Your password').fill(PASSWORD);
  await section.getByRole('button', { name: 'Ask to delete my account' }).click();
  await expect(section.getByTestId('deletion-blockers')).toContainText('1 order(s) still open');
  await shotAsIs(buyer, 'account-deletion-refused-en');

  // Without the order, the request waits for the platform team.
  await call(buyer.request, 'cancel_order', { number });
  await section.getByLabel('Your password').fill(PASSWORD);
  await section.getByRole('button', { name: 'Ask to delete my account' }).click();
  await expect(section.getByTestId('deletion-waiting')).toBeVisible();
  await shots(buyer, 'account-deletion-waiting');

  // The operator finds it in the queue and approves it on the user's page.
  await admin.goto('/console/deletions');
  await hydrated(admin);
  await expect(admin.getByTestId('deletion-row').filter({ hasText: email })).toContainText('Moving abroad');
  await shots(admin, 'console-deletions');
  await openUser(admin, email);
  const approve = admin.getByTestId('deletion-approve-form');
  await approve.getByLabel('Reason (recorded in the audit log)').fill('The owner asked; nothing open');
  await approve.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await approve.getByRole('button', { name: 'Approve deletion' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('The account is deleted');
  await expect(admin.getByTestId('deletion-status')).toHaveText('Deleted (restorable)');
  await expect(admin.getByTestId('status-badge')).toHaveText('Deleted');
  await shots(admin, 'console-user-deletion-approved');
  // The user's other tabs: the cancelled order stays on record; the audit trail has the decision.
  await openTab(admin, 'Orders');
  await expect(admin.getByTestId('orders-table')).toContainText(number);
  await shots(admin, 'console-user-tab-orders');
  await openTab(admin, 'Audit trail');
  await expect(admin.getByTestId('user-audit')).toContainText('users.deletion_approve');

  // The buyer was signed out and cannot sign in: told until when it can be restored.
  await signIn(buyer, email, PASSWORD);
  await expect(buyer.getByText(/This account was deleted at its owner's request\. Until .+ the platform team can restore it/)).toBeVisible();
  await shotAsIs(buyer, 'signin-account-deleted-en');

  // Restored: the buyer signs in again.
  await openUser(admin, email);
  const restore = admin.getByTestId('deletion-restore-form');
  await restore.getByLabel('Reason (recorded in the audit log)').fill('The owner changed their mind');
  await restore.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await restore.getByRole('button', { name: 'Restore account' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('The account is active again');
  await signInAgain(buyer, email);

  // Asked and approved again; 30 days later the purge has anonymized the account.
  await buyer.goto('/account');
  await hydrated(buyer);
  await section.getByLabel('Your password').fill(PASSWORD);
  await section.getByRole('button', { name: 'Ask to delete my account' }).click();
  await expect(section.getByTestId('deletion-waiting')).toBeVisible();
  await openUser(admin, email);
  const id = new URL(admin.url()).pathname.split('/').pop();
  await approve.getByLabel('Reason (recorded in the audit log)').fill('Asked again');
  await approve.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await approve.getByRole('button', { name: 'Approve deletion' }).click();
  await expect(admin.getByTestId('deletion-status')).toHaveText('Deleted (restorable)');
  await advanceClock(admin, 30 * DAY + 60_000);
  await signInAgain(admin, ADMIN.email, ADMIN.password);
  await expect(async () => {
    await admin.goto(`/console/users/${id}`);
    await expect(admin.getByTestId('deletion-status')).toHaveText('Purged', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(admin.getByTestId('user-email')).toHaveText(`deleted-${id}@deleted.invalid`);
  await shots(admin, 'console-user-deletion-purged');
});
