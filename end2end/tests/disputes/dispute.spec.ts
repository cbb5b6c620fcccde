// Issue 5, disputes: a buyer opens a dispute on a shipped order, the seller replies, finance reads the
// ledger effect and decides a partial refund with a reason and its password, and both sides see the
// outcome; the console queue counts it and the audit log records the decision.
//
// Set up through the API as in refunds/refund.spec.ts: the default commission rule (10%), the
// platform's bank account, an active seller with one live listing, and the buyer's address; the
// buyer buys and pays by bank transfer in the browser and the seller ships.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import {
  adminPage,
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
  type Shop,
} from '../helpers';



let admin: Page;
let buyer: Page;
let shop: Shop;

test.beforeAll(async ({ browser }) => {
  // A seller, a listing and its review on a debug build: more than the default minute on 2 cores.
  test.setTimeout(180_000);
  const word = `dispute${Date.now().toString(36)}`;
  admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e disputes' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end dispute flow', password: ADMIN.password });
  await ensurePlatformBankAccount(admin, 'Platform account for the dispute test');
  shop = await shopWithListing(browser, admin, 'Zhou Min', `Jade Teapots ${word}`, `Clay ${word} teapot`, '40.00');
  [buyer] = await newUser(browser, 'Wang Fang', 'dispute-buyer');
  await saveBuyerAddress(buyer);
});

test.afterAll(async () => {
  for (const p of [admin, buyer, shop?.page]) await p?.context().close();
});

test('a buyer opens a dispute, the seller replies, finance refunds part, both see the outcome', async () => {
  test.setTimeout(240_000);
  // 40.00 and a 5.00 shipping fee.
  const numbers = await buyAndPayByBankTransfer(buyer, admin, [shop.listing], '$45.00');
  const number = await shipPaidOrder(shop, numbers);

  // The buyer opens a dispute from the order page.
  await buyer.goto(`/orders/${number}`);
  await hydrated(buyer);
  await buyer.getByTestId('order-dispute').getByRole('link', { name: 'Open a dispute' }).click();
  await expect(buyer).toHaveURL(new RegExp(`/orders/${number}/dispute$`));
  await hydrated(buyer);
  await expect(buyer.getByTestId('refundable')).toHaveText('$45.00');
  const form = buyer.getByTestId('open-dispute-form');
  await expect(form.getByLabel(/Amount you ask back/)).toHaveValue('45.00');
  await shots(buyer, 'dispute-open');

  // Too much first: the field says so.
  await form.getByLabel(/Amount you ask back/).fill('50.00');
  await form.getByLabel('Reason').selectOption('damaged');
  await form.getByLabel('What happened').fill('The lid arrived chipped and the spout is cracked.');
  await form.getByRole('button', { name: 'Open the dispute' }).click();
  await expect(buyer.getByTestId('error-claim')).toBeVisible();

  await form.getByLabel(/Amount you ask back/).fill('20.00');
  await form.getByRole('button', { name: 'Open the dispute' }).click();
  await expect(buyer).toHaveURL(/\/disputes\/\d+$/);
  const disputeUrl = new URL(buyer.url()).pathname;
  const id = disputeUrl.split('/').pop()!;
  await hydrated(buyer);
  await expect(buyer.getByTestId('dispute-status')).toHaveText('Open: waiting for the platform\'s decision');
  await expect(buyer.getByTestId('dispute-claim')).toHaveText('$20.00');
  await expect(buyer.getByTestId('dispute-message')).toHaveCount(1);

  // The seller finds it on the order page and replies.
  const seller = shop.page;
  await seller.goto(`/seller/orders/${number}`);
  await hydrated(seller);
  await seller.getByTestId('order-dispute').getByRole('link', { name: 'View the dispute' }).click();
  await expect(seller).toHaveURL(new RegExp(`${disputeUrl}$`));
  await hydrated(seller);
  await expect(seller.getByTestId('viewer-side')).toContainText('Seller');
  const reply = seller.getByTestId('dispute-message-form');
  await reply.getByLabel('Message').fill('We wrapped it in foam; please send a photo of the box.');
  await reply.getByRole('button', { name: 'Send' }).click();
  await expect(seller.getByTestId('message-sent')).toBeVisible();
  await expect(seller.getByTestId('dispute-message')).toHaveCount(2);
  await expect(seller.getByTestId('dispute-message').nth(1)).toHaveAttribute('data-side', 'seller');
  await shots(seller, 'dispute-seller');

  // Finance: the queue, then the detail with the ledger effect; decide a partial refund of 15.00.
  await admin.goto('/console/disputes');
  await hydrated(admin);
  await expect(admin.getByTestId('counter-open')).not.toHaveText('0');
  const row = admin.getByTestId('dispute-row').filter({ hasText: number });
  await expect(row).toBeVisible();
  await shots(admin, 'dispute-queue');
  await row.getByRole('link', { name: `#${id}` }).click();
  await expect(admin).toHaveURL(new RegExp(`/console/disputes/${id}$`));
  await hydrated(admin);
  await expect(admin.getByTestId('status-before')).toContainText('Shipped');
  await expect(admin.getByTestId('effect-full')).toContainText('$45.00');
  const decision = admin.getByTestId('decision-form');
  await decision.getByLabel('Partial refund').check();
  await decision.getByLabel(/Amount to refund/).fill('15.00');
  await decision.getByRole('button', { name: 'Show the ledger effect' }).click();
  await expect(decision.getByTestId('effect-partial')).toContainText('$15.00');
  await expect(decision.getByTestId('effect-partial').getByTestId('commission-reversed')).toHaveText(/^\$1\.\d\d$/);
  await shots(admin, 'dispute-console-detail');
  // (The screenshots reload the page: fill the form again.)
  await decision.getByLabel('Partial refund').check();
  await decision.getByLabel(/Amount to refund/).fill('15.00');
  await decision.getByLabel(/Reason \(recorded/).fill('Photos show the lid chipped in transit');
  await decision.getByLabel('Your password, to confirm').fill('not the password');
  await decision.getByRole('button', { name: 'Record the decision' }).click();
  await expect(admin.getByTestId('error-password')).toBeVisible();
  await decision.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await decision.getByRole('button', { name: 'Record the decision' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('The decision is recorded; both sides are notified.');
  await expect(admin.getByTestId('dispute-status')).toHaveText('Decided: refunded');
  await expectAudited(admin, 'disputes.decide', id);

  // Both sides see the outcome.
  for (const page of [buyer, seller]) {
    await page.goto(disputeUrl);
    await hydrated(page);
    await expect(page.getByTestId('dispute-outcome')).toContainText('Decided for the buyer: $15.00 refunded.');
    await expect(page.getByTestId('decision-reason')).toHaveText('Photos show the lid chipped in transit');
    await expect(page.getByTestId('dispute-closed')).toBeVisible();
  }
  await shots(buyer, 'dispute-decided');
  await buyer.goto(`/orders/${number}`);
  await hydrated(buyer);
  await expect(buyer.getByTestId('order-status')).toHaveText('Partially refunded');
});
