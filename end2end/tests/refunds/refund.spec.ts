// Issue 5, refunds: a buyer asks for a partial refund of a paid order, the seller reads the ledger
// effect and accepts, and the buyer sees "refunded" on the order page; the console's refund queue
// counts it and its detail shows the history.
//
// Set up through the API as in flows/orders.spec.ts: the default commission rule (10%), the
// platform's bank account, an active seller with one live listing, and the buyer's address; the
// buyer buys and pays by bank transfer in the browser.
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
  shopWithListing,
  shots,
  type Shop,
} from '../helpers';



let admin: Page;
let buyer: Page;
let kiln: Shop;

test.beforeAll(async ({ browser }) => {
  // Several accounts, shops and listings on a 2-core debug build: more than the 60 s default.
  test.setTimeout(180_000);
  const word = `refund${Date.now().toString(36)}`;
  admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e refunds' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end refund flow', password: ADMIN.password });
  await ensurePlatformBankAccount(admin, 'Platform account for the refund test');
  kiln = await shopWithListing(browser, admin, 'Mei Chen', `Blue Kiln ${word}`, `Speckled ${word} mug`, '20.00');
  [buyer] = await newUser(browser, 'Li Wei', 'refund-buyer');
  await saveBuyerAddress(buyer);
});

test.afterAll(async () => {
  for (const p of [admin, buyer, kiln?.page]) await p?.context().close();
});

test('a buyer asks for a partial refund, the seller accepts, the buyer sees it refunded', async () => {
  test.setTimeout(120_000);
  // 20.00 and a 5.00 shipping fee.
  const [number] = await buyAndPayByBankTransfer(buyer, admin, [kiln.listing], '$25.00');

  // The buyer's order page offers a refund; the form is prefilled with what is left.
  await buyer.goto(`/orders/${number}`);
  await hydrated(buyer);
  const panel = buyer.getByTestId('refunds-panel');
  await expect(panel).toContainText('No refund requests on this order.');
  await panel.getByRole('link', { name: 'Request a refund' }).click();
  await expect(buyer).toHaveURL(new RegExp(`/orders/${number}/refund$`));
  await hydrated(buyer);
  await expect(buyer.getByTestId('refundable')).toHaveText('$25.00');
  const form = buyer.getByTestId('refund-form');
  await expect(form.getByLabel('Amount to refund')).toHaveValue('25.00');
  await shots(buyer, 'refund-request');

  // Too much first: the field says so, nothing is sent.
  await form.getByLabel('Amount to refund').fill('30.00');
  await form.getByLabel('Reason').selectOption('damaged');
  await form.getByLabel('What happened').fill('The mug arrived with a crack along the handle.');
  await form.getByRole('button', { name: 'Send the request' }).click();
  await expect(buyer.getByTestId('error-amount')).toHaveText('That is more than is left to refund on this order.');

  // A partial refund of 8.00 with a photo as evidence.
  await form.getByLabel('Amount to refund').fill('8.00');
  await form.getByLabel('Evidence (optional)').setInputFiles({ name: 'crack.png', mimeType: 'image/png', buffer: tinyPng() });
  await expect(buyer.getByTestId('evidence-attached')).toContainText('crack.png');
  await form.getByRole('button', { name: 'Send the request' }).click();
  await expect(buyer).toHaveURL(new RegExp(`/orders/${number}$`));
  await hydrated(buyer);
  const row = buyer.getByTestId('refund-row').first();
  await expect(row).toHaveAttribute('data-status', 'requested');
  await expect(row.getByTestId('refund-words')).toContainText('Refund of $8.00 requested: waiting for the seller until');
  await shots(buyer, 'refund-order-waiting');

  // The seller's list, then the detail with the ledger effect in words; accept.
  const seller = kiln.page;
  await seller.goto('/seller/refunds');
  await hydrated(seller);
  const listRow = seller.getByTestId('refund-list-row').filter({ hasText: number });
  await expect(listRow.getByTestId('refund-status')).toHaveText('Waiting for the seller');
  await shots(seller, 'refund-seller-list');
  await listRow.getByRole('link', { name: number }).click();
  await expect(seller.getByTestId('refund-amount')).toHaveText('$8.00');
  await hydrated(seller);
  await expect(seller.getByTestId('effect-words')).toContainText('$8.00 goes back to the buyer');
  await expect(seller.getByTestId('evidence-link')).toHaveText('crack.png');
  await shots(seller, 'refund-seller-detail');
  await seller.getByTestId('accept-form').getByRole('button', { name: 'Accept and refund' }).click();
  await expect(seller.getByTestId('action-done')).toHaveText('Refunded. The buyer was told.');
  await expect(seller.getByTestId('refund-status')).toHaveText('Refunded');
  await expect(seller.getByTestId('effect-words')).toContainText('Posted in the ledger');

  // The buyer sees it refunded; the order is partially refunded.
  await buyer.reload();
  await hydrated(buyer);
  await expect(buyer.getByTestId('refund-row').first()).toHaveAttribute('data-status', 'refunded');
  await expect(buyer.getByTestId('refund-row').first().getByTestId('refund-words')).toHaveText('Refunded $8.00.');
  await expect(buyer.getByTestId('order-status')).toHaveText('Partially refunded');
  await shots(buyer, 'refund-order-refunded');

  // The console's queue counts it, and the detail shows the history.
  await admin.goto(`/console/refunds?seller=${encodeURIComponent(kiln.org.toString())}`);
  await hydrated(admin);
  const consoleRow = admin.getByTestId('refund-list-row').filter({ hasText: number });
  await expect(consoleRow.getByTestId('refund-status')).toHaveText('Refunded');
  await shots(admin, 'refund-console-list');
  await consoleRow.getByRole('link', { name: number }).click();
  await expect(admin.getByTestId('refund-history')).toContainText('refunds.accept');
  await shots(admin, 'refund-console-detail');
});

/** A small valid PNG header (the server reads the type and size from the bytes). */
function tinyPng(): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).copy(b, 0);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(120, 16);
  b.writeUInt32BE(80, 20);
  Buffer.from([8, 6, 0, 0, 0]).copy(b, 24);
  return b;
}
