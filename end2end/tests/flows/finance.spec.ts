// The issue 5 flow end to end (the finance desk): a buyer pays two orders from two sellers; the mug's
// seller accepts a partial refund; the tea becomes a dispute that an operator decides with a partial
// refund; the mug's seller adds a payout account, the clock passes the hold and the cooling-off, and
// it requests a payout; finance sees the risk flag, approves and marks it paid with a reference; the
// seller sees "paid" and the reference; the console audit log shows every step.
//
// Set up through the API: the default commission rule (10%), the platform's bank account, two
// active sellers with one live listing each, and the buyer's address. The spec shares its server with
// other specs: it only looks at the rows it made. The clock moves with the test-only endpoint, and
// sessions expire with it, so everyone signs in again afterwards.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import {
  PASSWORD,
  adminPage,
  advanceClock,
  buyAndPayByBankTransfer,
  call,
  ensurePlatformBankAccount,
  expectAudited,
  hydrated,
  newUser,
  saveBuyerAddress,
  shipPaidOrder,
  shopWithListing,
  shots,
  signInAgain,
  type Shop,
} from '../helpers';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Fills the reason and password of a protected action inside `form`. */
async function protectedFields(form: ReturnType<Page['getByTestId']>, reason: string, password = ADMIN.password) {
  await form.getByLabel('Reason (recorded in the audit log)').fill(reason);
  await form.getByLabel('Your password, to confirm').fill(password);
}

test.describe.serial('the finance desk', () => {
  let admin: Page;
  let buyer: Page;
  let kiln: Shop;
  let tea: Shop;
  let mugOrder: string;
  let teaOrder: string;
  const ids: Record<string, string> = {};

  test.beforeAll(async ({ browser }) => {
    // Several accounts, shops and listings on a 2-core debug build: more than the 60 s default.
    test.setTimeout(180_000);
    const word = `fin${Date.now().toString(36)}`;
    admin = await adminPage(browser);
    const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e finance' });
    await call(admin.request, 'activate_commission_rule', {
      id: String(rule),
      reason: 'End-to-end finance flow',
      password: ADMIN.password,
    });
    await ensurePlatformBankAccount(admin, 'Platform account for the finance flow test');
    kiln = await shopWithListing(browser, admin, 'Mei Chen', `Blue Kiln ${word}`, `Speckled ${word} mug`, '20.00');
    tea = await shopWithListing(browser, admin, 'Wang Fang', `Tea House ${word}`, `Oolong ${word}`, '12.00');
    [buyer] = await newUser(browser, 'Li Wei', 'finance-buyer');
    await saveBuyerAddress(buyer);
  });

  test.afterAll(async () => {
    for (const p of [admin, buyer, kiln?.page, tea?.page]) await p?.context().close();
  });

  test('the buyer pays two orders and both sellers ship', async () => {
    // 20.00 + 12.00 and a 5.00 shipping fee per order.
    const numbers = await buyAndPayByBankTransfer(buyer, admin, [kiln.listing, tea.listing], '$42.00');
    mugOrder = await shipPaidOrder(kiln, numbers);
    teaOrder = await shipPaidOrder(tea, numbers);
    expect(mugOrder).not.toEqual(teaOrder);
  });

  test('a partial refund request is accepted by the seller', async () => {
    await buyer.goto(`/orders/${mugOrder}/refund`);
    await hydrated(buyer);
    await expect(buyer.getByTestId('refundable')).toHaveText('$25.00');
    await shots(buyer, 'finance-refund-request');
    const form = buyer.getByTestId('refund-form');
    await form.getByLabel('Amount to refund').fill('5.00');
    await form.getByLabel('Reason').selectOption('damaged');
    await form.getByLabel('What happened').fill('The mug arrived with a chipped rim.');
    await form.getByRole('button', { name: 'Send the request' }).click();
    await expect(buyer).toHaveURL(new RegExp(`/orders/${mugOrder}$`));

    // The seller finds it in its refunds and accepts it.
    await kiln.page.goto('/seller/refunds');
    await hydrated(kiln.page);
    const row = kiln.page.getByTestId('refund-list-row').filter({ hasText: mugOrder });
    await expect(row.getByTestId('refund-status')).toHaveAttribute('data-status', 'requested');
    await shots(kiln.page, 'finance-seller-refunds');
    await row.getByRole('link', { name: mugOrder }).click();
    await expect(kiln.page).toHaveURL(/\/seller\/refunds\/\d+$/);
    ids.refund = kiln.page.url().match(/\/seller\/refunds\/(\d+)$/)![1];
    await hydrated(kiln.page);
    await expect(kiln.page.getByTestId('refund-amount')).toHaveText('$5.00');
    await expect(kiln.page.getByTestId('ledger-effect')).toBeVisible();
    await shots(kiln.page, 'finance-seller-refund');
    await kiln.page.getByTestId('accept-form').getByRole('button', { name: 'Accept and refund' }).click();
    await expect(kiln.page.getByTestId('action-done')).toHaveText('Refunded. The buyer was told.');
    await expect(kiln.page.getByTestId('refund-status')).toHaveAttribute('data-status', 'refunded');
  });

  test('a dispute is decided by an operator with a partial refund', async () => {
    await buyer.goto(`/orders/${teaOrder}/dispute`);
    await hydrated(buyer);
    await shots(buyer, 'finance-open-dispute');
    const form = buyer.getByTestId('open-dispute-form');
    await form.getByLabel(/Amount you ask back/).fill('17.00');
    await form.getByLabel('Reason').selectOption('not_as_described');
    await form.getByLabel('What happened').fill('The tea is not oolong at all; it smells of jasmine.');
    await form.getByRole('button', { name: 'Open the dispute' }).click();
    await expect(buyer).toHaveURL(/\/disputes\/\d+$/);
    ids.dispute = buyer.url().match(/\/disputes\/(\d+)$/)![1];
    await expect(buyer.getByTestId('dispute-status')).toHaveAttribute('data-status', 'open');

    // The operator decides: 7.00 of the 17.00 back to the buyer.
    await admin.goto(`/console/disputes/${ids.dispute}`);
    await hydrated(admin);
    await shots(admin, 'finance-console-dispute');
    const decide = admin.getByTestId('decision-form');
    await decide.getByLabel('Partial refund').check();
    await decide.getByLabel(/Amount to refund/).fill('7.00');
    await protectedFields(decide, 'Photos show another tea; refund part of the order.');
    await decide.getByRole('button', { name: 'Record the decision' }).click();
    await expect(admin.getByTestId('action-done')).toHaveText('The decision is recorded; both sides are notified.');
    await expect(admin.getByTestId('dispute-status').first()).toHaveAttribute('data-status', 'refunded');

    await buyer.goto(`/disputes/${ids.dispute}`);
    await expect(buyer.getByTestId('dispute-status')).toHaveAttribute('data-status', 'refunded');
    await expect(buyer.getByTestId('decision-reason')).toContainText('Photos show another tea');
  });

  test('the seller adds a payout account, waits out the cooling-off and requests a payout', async () => {
    // The settlement hold passes: what the mug left after the refund becomes available.
    await advanceClock(admin, 7 * DAY + 60_000);
    await signInAgain(kiln.page, kiln.email);

    await kiln.page.goto('/seller/payouts/accounts');
    await hydrated(kiln.page);
    const add = kiln.page.getByTestId('add-account-form');
    await add.getByLabel('Method').selectOption('paypal');
    await add.getByLabel('Account holder').fill('Mei Chen');
    await add.getByLabel('Account', { exact: true }).fill('mei.chen@example.com');
    await add.getByLabel('Your password').fill(PASSWORD);
    await add.getByRole('button', { name: 'Add account' }).click();
    const account = kiln.page.getByTestId('payout-account').filter({ hasText: 'm•••@example.com' });
    await expect(account).toBeVisible();
    ids.account = (await account.getAttribute('data-id'))!;
    await expect(kiln.page.getByTestId('cooling-off-banner')).toBeVisible();
    await shots(kiln.page, 'finance-payout-accounts');

    // The cooling-off (48 h) passes.
    await advanceClock(admin, 48 * HOUR + 60_000);
    await signInAgain(kiln.page, kiln.email);
    // Mug: 25.00 - 5.00 refunded; commission 2.00 less 0.40 reversed: 18.40 available.
    await expect(async () => {
      await kiln.page.goto('/seller/payouts');
      await expect(kiln.page.getByTestId('balance-available')).toHaveAttribute('data-minor', '1840', { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await hydrated(kiln.page);
    await expect(kiln.page.getByTestId('cooling-off-banner')).toHaveCount(0);
    const request = kiln.page.getByTestId('request-form');
    await request.getByLabel('Amount').fill('15.00');
    await request.getByLabel('Pay to').selectOption(ids.account);
    await request.getByRole('button', { name: 'Request payout' }).click();
    await expect(kiln.page.getByTestId('action-done')).toHaveText('Payout requested. Finance reviews it next.');
    const row = kiln.page.getByTestId('payout-row').first();
    await expect(row.getByTestId('payout-status')).toHaveAttribute('data-status', 'requested');
    ids.payout = (await row.getAttribute('data-id'))!;
    await shots(kiln.page, 'finance-seller-payouts');
  });

  test('finance sees the risk flag, approves and marks the payout paid; the seller sees it', async () => {
    await signInAgain(admin, ADMIN.email, ADMIN.password);
    await admin.goto('/console/payouts');
    await hydrated(admin);
    const queued = admin.getByTestId('payout-row').and(admin.locator(`[data-id="${ids.payout}"]`));
    await expect(queued.locator('[data-testid="risk-flag"][data-flag="new_account"]')).toBeVisible();
    await shots(admin, 'finance-console-payouts');

    await admin.goto(`/console/payouts/${ids.payout}`);
    await hydrated(admin);
    await expect(admin.getByTestId('payout-amount')).toHaveText('$15.00');
    await expect(admin.getByTestId('flag-list').locator('[data-flag="new_account"]')).toBeVisible();
    const approve = admin.getByTestId('approve-form');
    await protectedFields(approve, 'Account checked with the seller by phone.');
    await approve.getByRole('button', { name: 'Approve payout' }).click();
    await expect(admin.getByTestId('action-done')).toHaveText('Payout approved; the seller was notified.');
    await hydrated(admin);

    const paid = admin.getByTestId('paid-form');
    await paid.getByLabel('External transfer reference').fill('TRX-E2E-0001');
    await protectedFields(paid, 'Transferred through PayPal.');
    await paid.getByRole('button', { name: 'Mark paid' }).click();
    await expect(admin.getByTestId('action-done')).toHaveText('Payout marked paid; the seller was notified.');
    await expect(admin.getByTestId('payout-reference')).toHaveText('TRX-E2E-0001');
    await shots(admin, 'finance-console-payout');

    await kiln.page.goto('/seller/payouts');
    await hydrated(kiln.page);
    const mine = kiln.page.getByTestId('payout-row').and(kiln.page.locator(`[data-id="${ids.payout}"]`));
    await expect(mine.getByTestId('payout-status')).toHaveAttribute('data-status', 'paid');
    await expect(mine.getByTestId('payout-status')).toHaveText('Paid');
    await expect(mine.getByTestId('payout-next')).toContainText('TRX-E2E-0001');
    await expect(kiln.page.getByTestId('balance-available')).toHaveAttribute('data-minor', '340');
  });

  test('the audit log shows every step', async () => {
    await expectAudited(admin, 'refunds.accept', ids.refund);
    await expectAudited(admin, 'disputes.decide', ids.dispute);
    // The account is audited on its seller (organisation).
    await expectAudited(admin, 'payout_accounts.add', kiln.org);
    for (const action of ['payouts.request', 'payouts.approve', 'payouts.mark_paid']) {
      await expectAudited(admin, action, ids.payout);
    }
    await shots(admin, 'finance-audit');
  });
});
