// The issue 4 flow end to end: a buyer fills a cart from two sellers, checks out with bank transfer
// and uploads proof; finance approves; each seller ships; the buyer confirms one order and the clock
// passes 7 days for the other, which completes on its own; the console ledger shows the commission
// and the sellers' balances, and the trial balance reads zero.
//
// Set up through the API: the default commission rule (10%), the platform's bank account, two active
// sellers with one live listing each, and the buyer's address. The application clock is moved with
// the test-only endpoint; sessions expire with it, so everyone signs in again afterwards.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import {
  adminPage,
  buyAndPayByBankTransfer,
  call,
  ensurePlatformBankAccount,
  hydrated,
  newUser,
  saveBuyerAddress,
  shipPaidOrder,
  shopWithListing,
  shots,
  signInAgain as again,
  type Shop,
} from '../helpers';

const DAY = 86_400_000;


let admin: Page;
let buyer: Page;
let buyerEmail: string;
let kiln: Shop;
let tea: Shop;

test.beforeAll(async ({ browser }) => {
  // Several accounts, shops and listings on a 2-core debug build: more than the 60 s default.
  test.setTimeout(180_000);
  const word = `flow${Date.now().toString(36)}`;
  admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e flow' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end orders flow', password: ADMIN.password });
  await ensurePlatformBankAccount(admin, 'Platform account for the flow test');
  kiln = await shopWithListing(browser, admin, 'Mei Chen', `Blue Kiln ${word}`, `Speckled ${word} mug`, '20.00');
  tea = await shopWithListing(browser, admin, 'Wang Fang', `Tea House ${word}`, `Oolong ${word}`, '12.00');
  [buyer, buyerEmail] = await newUser(browser, 'Li Wei', 'flow-buyer');
  await saveBuyerAddress(buyer);
});

test.afterAll(async () => {
  for (const p of [admin, buyer, kiln?.page, tea?.page]) await p?.context().close();
});

test('two sellers, bank transfer, shipping, confirmation and the 7-day timer end in a balanced ledger', async () => {
  test.setTimeout(180_000);
  // The buyer fills a cart from both sellers, checks out with bank transfer and uploads proof;
  // finance approves. 20.00 + 12.00 and a 5.00 shipping fee per order.
  const numbers = await buyAndPayByBankTransfer(buyer, admin, [kiln.listing, tea.listing], '$42.00', shots);

  // Each seller ships its order.
  const orderOf: Record<number, string> = {};
  for (const shop of [kiln, tea]) {
    orderOf[shop.org] = await shipPaidOrder(shop, numbers, shots);
  }

  // The buyer confirms the mug; the tea is left to the timer.
  await buyer.goto(`/orders/${orderOf[kiln.org]}`);
  await hydrated(buyer);
  await buyer.getByTestId('confirm-form').getByRole('button', { name: 'Confirm receipt' }).click();
  await expect(buyer.getByTestId('order-status')).toHaveText('Completed');
  await shots(buyer, 'flow-buyer-order');

  // Seven days pass: the tea completes on its own; the mug's settlement hold (7 days) ends.
  const moved = await admin.request.post(`/__dev/clock/advance?ms=${7 * DAY + 60_000}`);
  expect(moved.ok()).toBeTruthy();
  await again(buyer, buyerEmail);
  await expect(async () => {
    await buyer.goto(`/orders/${orderOf[tea.org]}`);
    await expect(buyer.getByTestId('order-status')).toHaveText('Completed', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(buyer.getByTestId('timeline-event').last()).toHaveAttribute('data-action', 'auto_complete');

  // The sellers' balances: the mug's earnings are available, the tea's pending for its hold.
  // Mug: 20.00 + 5.00 shipping - 2.00 commission; tea: 12.00 + 5.00 - 1.20.
  await again(kiln.page, kiln.email);
  await expect(async () => {
    await kiln.page.goto('/seller/balance');
    await expect(kiln.page.getByTestId('balance-available')).toHaveText('$23.00', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(kiln.page.getByTestId('balance-pending')).toHaveText('$0.00');
  await expect(kiln.page.getByTestId('balance-entry')).toHaveCount(3);
  await again(tea.page, tea.email);
  await tea.page.goto('/seller/balance');
  await expect(tea.page.getByTestId('balance-pending')).toHaveText('$15.80');
  await expect(tea.page.getByTestId('balance-available')).toHaveText('$0.00');

  // The console: the trial balance reads zero; the orders' postings show the commission.
  await again(admin, ADMIN.email, ADMIN.password);
  await admin.goto('/console/ledger');
  await hydrated(admin);
  await expect(admin.getByTestId('trial-balance')).toHaveAttribute('data-balanced', 'true');
  await expect(admin.getByTestId('trial-total')).toHaveText(/\$0\.00/);
  await expect(admin.getByTestId('account-row').filter({ hasText: `seller:${kiln.org}:available` }).getByTestId('account-balance')).toHaveText('-$23.00');
  await expect(admin.getByTestId('account-row').filter({ hasText: `seller:${tea.org}:pending` }).getByTestId('account-balance')).toHaveText('-$15.80');
  await admin.getByRole('button', { name: 'Verify now' }).click();
  await expect(admin.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true');

  await admin.goto(`/console/ledger/postings?order=${orderOf[tea.org]}`);
  await hydrated(admin);
  const completed = admin.locator('[data-testid="posting"][data-kind="order_completed"]');
  await expect(completed).toHaveCount(1);
  await expect(completed.locator('[data-testid="entry"][data-account="platform:commission"]')).toHaveAttribute('data-amount', '-120');
  await expect(completed.locator(`[data-testid="entry"][data-account="seller:${tea.org}:pending"]`)).toHaveAttribute('data-amount', '-1580');
  await expect(completed.locator('[data-testid="entry"][data-account="buyer:clearing"]')).toHaveAttribute('data-amount', '1700');

  await shots(admin, 'flow-postings');
  await admin.goto('/console/ledger');
  await shots(admin, 'flow-ledger');
  await shots(kiln.page, 'flow-balance');
  await admin.goto('/console/commission');
  await shots(admin, 'flow-commission');
  await admin.goto(`/console/orders/${orderOf[tea.org]}`);
  await shots(admin, 'flow-console-order');
  await admin.goto('/console/orders');
  await shots(admin, 'flow-console-orders');
  await buyer.goto('/orders');
  await shots(buyer, 'flow-buyer-orders');
  await tea.page.goto('/seller/orders');
  await shots(tea.page, 'flow-seller-orders');
});
