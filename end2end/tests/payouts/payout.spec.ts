// Payout accounts and payouts end to end: a seller with available earnings (a paid order, shipped,
// confirmed and past its 7-day hold, set up through the API) adds a bank account with its password,
// sees the cooling-off, waits it out (the test clock), and requests a payout; finance finds it in the
// queue flagged (new account), approves it and marks it paid with the transfer reference; the seller
// sees "paid" with the reference, and the payout's audit trail shows every step.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { PASSWORD, activeSellerViaApi, adminPage, advanceClock, call, hydrated, newUser, shots, signInAgain, uploadListingImageViaApi } from '../helpers';

const DAY = 86_400_000;
const HOUR = 3_600_000;


let admin: Page;
let seller: Page;
let sellerEmail: string;
let finance: Page;
let financeEmail: string;
let shop: string;

test.beforeAll(async ({ browser }) => {
  // Three accounts, a listing, an order through to its hold, on a 2-core debug build.
  test.setTimeout(180_000);
  const word = `pay${Date.now().toString(36)}`;
  shop = `Tea House ${word}`;
  admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e payouts' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end payouts test', password: ADMIN.password });

  [seller, sellerEmail] = await newUser(browser, 'Wang Fang', 'payout-seller');
  await activeSellerViaApi(seller, admin, shop);
  const image = await uploadListingImageViaApi(seller);
  const listing = await call(seller.request, 'save_listing', {
    listing_json: JSON.stringify({
      title: `Oolong ${word}`,
      description: 'Made for the payouts test.',
      category_id: null,
      price: '120.00',
      compare_at: '',
      stock: '10',
      weight_grams: '150',
      options: [],
      variants: [],
      images: [image],
    }),
  });
  await call(seller.request, 'submit_listing', { id: String(listing) });
  const mine = await call(seller.request, 'get_my_listing', { id: String(listing) });
  await call(admin.request, 'approve_listing_version', { version_id: String(mine.pending_version_id) });

  const [buyer] = await newUser(browser, 'Li Wei', 'payout-buyer');
  const product = await call(buyer.request, 'storefront_listing', { id: String(listing) });
  await call(buyer.request, 'add_to_cart', { variant_id: String(product.variants[0].id), quantity: '1' });
  const address = await call(buyer.request, 'save_address', {
    recipient: 'Li Wei',
    phone: '+86 138 0000 0000',
    line1: '88 Jianguo Road',
    city: 'Beijing',
    country: 'CN',
    make_default: 'on',
  });
  const result = await call(buyer.request, 'checkout', { idempotency_key: `e2e-${word}`, address_id: String(address), payment_method: 'sandbox' });
  const number = result.order_numbers[0];
  await call(buyer.request, 'pay_with_sandbox', { checkout_id: String(result.checkout_id), card_number: '4242 4242 4242 4242' });
  await call(seller.request, 'ship_order', { number, carrier: 'sf', tracking_number: 'SF1234567890' });
  await call(buyer.request, 'confirm_order', { number });
  await buyer.context().close();

  [finance, financeEmail] = await newUser(browser, 'Zhao Min', 'payout-finance');
  const me = await call(finance.request, 'whoami', {});
  await call(admin.request, 'set_user_roles', { id: String(me.user_id), 'roles[]': 'finance', reason: 'Finance desk for the payouts test', password: ADMIN.password });

  // The settlement hold (7 days) runs out: the earnings become available.
  await advanceClock(admin, 7 * DAY + 60_000);
  await signInAgain(admin, ADMIN.email, ADMIN.password);
  await signInAgain(seller, sellerEmail);
  await expect(async () => {
    const view = await call(seller.request, 'seller_payouts', {});
    expect(view.available_minor).toBeGreaterThan(5000);
  }).toPass({ timeout: 30_000 });
});

test.afterAll(async () => {
  for (const p of [admin, seller, finance]) await p?.context().close();
});

test('a seller adds an account, waits out the cooling-off and is paid; finance approves and marks it paid', async () => {
  test.setTimeout(180_000);
  // The seller adds a bank account; a wrong password adds nothing.
  await seller.goto('/seller/payouts');
  await hydrated(seller);
  await expect(seller.getByTestId('accounts-link')).toBeVisible();
  await seller.goto('/seller/payouts/accounts');
  await hydrated(seller);
  await expect(seller.getByTestId('empty-state')).toBeVisible();
  const form = seller.getByTestId('add-account-form');
  const addAccount = async (password: string) => {
    await form.getByLabel('Method').selectOption('bank');
    await form.getByLabel('Account holder').fill('Wang Fang');
    await form.getByLabel('Account', { exact: true }).fill('6222 0200 1234 5678');
    await form.getByLabel('Bank name').fill('ICBC');
    await form.getByLabel('Your password').fill(password);
    await form.getByRole('button', { name: 'Add account' }).click();
  };
  await addAccount('not my password');
  await expect(form.getByTestId('error-password')).toHaveText('The password is not correct.');
  await addAccount(PASSWORD);
  await expect(seller.getByTestId('action-done')).toBeVisible();
  await expect(seller.getByTestId('account-masked')).toHaveText('•••• 5678');
  await expect(seller.getByTestId('cooling-off-banner')).toBeVisible();
  await expect(seller.getByText('6222020012345678')).toHaveCount(0);
  await shots(seller, 'payout-accounts');

  // During the cooling-off a request is refused next to the account.
  await seller.goto('/seller/payouts');
  await hydrated(seller);
  await expect(seller.getByTestId('cooling-off-banner')).toBeVisible();
  await seller.getByLabel('Amount').fill('50.00');
  await seller.getByRole('button', { name: 'Request payout' }).click();
  await expect(seller.getByTestId('error-payout_account_id')).toBeVisible();

  // 48 hours later the seller requests 50.00.
  await advanceClock(admin, 48 * HOUR + 60_000);
  await signInAgain(seller, sellerEmail);
  await signInAgain(finance, financeEmail);
  await seller.goto('/seller/payouts');
  await hydrated(seller);
  await expect(seller.getByTestId('cooling-off-banner')).toHaveCount(0);
  await seller.getByLabel('Amount').fill('50.00');
  await seller.getByRole('button', { name: 'Request payout' }).click();
  await expect(seller.getByTestId('action-done')).toBeVisible();
  const row = seller.getByTestId('payout-row').first();
  await expect(row.getByTestId('payout-status')).toHaveText('Requested');
  await expect(row.getByTestId('payout-next')).toContainText('Finance reviews it.');
  await expect(seller.getByTestId('balance-in_transit')).toHaveText('$50.00');
  await shots(seller, 'payout-seller-requested');

  // Finance: the queue shows it flagged (the account is new); approve, then mark paid.
  await finance.goto('/console/payouts?status=requested');
  await hydrated(finance);
  const queued = finance.getByTestId('payout-row').filter({ hasText: shop });
  await expect(queued.getByTestId('risk-flag')).toHaveText('New account');
  await shots(finance, 'payout-queue');
  await queued.getByRole('link', { name: shop }).click();
  await expect(finance).toHaveURL(/\/console\/payouts\/\d+$/);
  await hydrated(finance);
  await expect(finance.getByTestId('account-masked')).toHaveText('•••• 5678');
  const approve = finance.getByTestId('approve-form');
  await approve.getByLabel('Reason (recorded in the audit log)').fill('Earnings verified against the ledger');
  await approve.getByLabel('Your password, to confirm').fill(PASSWORD);
  await approve.getByRole('button', { name: 'Approve payout' }).click();
  await expect(finance.getByTestId('action-done')).toContainText('Payout approved');
  await expect(finance.getByTestId('payout-status')).toHaveText('Approved');
  const paid = finance.getByTestId('paid-form');
  await paid.getByLabel('External transfer reference').fill('TRX-2026-0042');
  await paid.getByLabel('Reason (recorded in the audit log)').fill('Bank transfer sent');
  await paid.getByLabel('Your password, to confirm').fill(PASSWORD);
  await paid.getByRole('button', { name: 'Mark paid' }).click();
  await expect(finance.getByTestId('action-done')).toContainText('marked paid');
  await expect(finance.getByTestId('payout-status')).toHaveText('Paid');
  await expect(finance.getByTestId('payout-reference')).toHaveText('TRX-2026-0042');
  const audit = finance.getByTestId('audit-line');
  await expect(audit).toHaveCount(3);
  await expect(finance.getByTestId('payout-audit')).toContainText('payouts.mark_paid');
  await expect(finance.getByTestId('payout-audit')).toContainText('payouts.approve');
  await expect(finance.getByTestId('payout-audit')).toContainText('payouts.request');
  await shots(finance, 'payout-detail');

  // The seller sees it paid, with the reference.
  await seller.goto('/seller/payouts');
  await hydrated(seller);
  const done = seller.getByTestId('payout-row').first();
  await expect(done.getByTestId('payout-status')).toHaveText('Paid');
  await expect(done.getByTestId('payout-next')).toContainText('reference TRX-2026-0042');
  await expect(seller.getByTestId('balance-in_transit')).toHaveText('$0.00');
  await shots(seller, 'payout-seller-paid');
});
