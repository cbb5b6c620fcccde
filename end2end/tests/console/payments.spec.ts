// Paying by bank transfer, end to end: finance sets the platform's bank account in the console; a
// buyer (whose checkout is set up through the API) sees the account, the amount and the reference on
// the pay page and uploads proof; finance rejects it with a reason, the buyer uploads again, finance
// approves; the buyer's payment and order show paid.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { activeSellerViaApi, adminPage, call, hydrated, png, signedUpPage, uploadListingImageViaApi } from '../helpers';

let admin: Page;
let buyer: Page;
let seller: Page;
let checkoutId: number;
let orderNumber: string;
let word: string;

async function setUp(browser: Browser) {
  word = `pay${Date.now().toString(36)}`;
  admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e payments' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end payments test', password: ADMIN.password });

  seller = await signedUpPage(browser, 'Wang Fang', 'payments-seller');
  await activeSellerViaApi(seller, admin, `Tea House ${word}`);
  const image = await uploadListingImageViaApi(seller);
  const listing = await call(seller.request, 'save_listing', {
    listing_json: JSON.stringify({
      title: `Oolong ${word}`,
      description: 'Made for the payments test.',
      category_id: null,
      price: '12.00',
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

  buyer = await signedUpPage(browser, 'Li Wei', 'payments-buyer');
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
  const result = await call(buyer.request, 'checkout', {
    idempotency_key: `e2e-${word}`,
    address_id: String(address),
    payment_method: 'bank_transfer',
  });
  checkoutId = result.checkout_id;
  orderNumber = result.order_numbers[0];
}

test.beforeAll(async ({ browser }) => {
  await setUp(browser);
});

test.afterAll(async () => {
  await admin?.context().close();
  await seller?.context().close();
  await buyer?.context().close();
});

/** Finance opens the payment with `reference` from the queue of waiting proofs. */
async function openWaitingPayment(reference: string) {
  await admin.goto('/console/payments');
  await hydrated(admin);
  await admin.getByTestId('waiting-link').click();
  await expect(admin).toHaveURL(/status=proof_submitted/);
  await admin.getByTestId('payments-table').getByRole('link', { name: reference }).click();
  await expect(admin.getByTestId('payment-reference')).toHaveText(reference);
  await expect(admin.getByTestId('payment-status')).toHaveText('Proof under review');
  await hydrated(admin);
}

test('a buyer pays by bank transfer with proof and finance approves it', async () => {
  // Finance sets the bank account: a protected change, so a reason and the password.
  await admin.goto('/console/settings/payments');
  await hydrated(admin);
  const bank = admin.getByTestId('bank-form');
  await bank.getByLabel('Account holder').fill('Agora Marketplace Ltd');
  await bank.getByLabel('Bank', { exact: true }).fill('Bank of Tests');
  await bank.getByLabel('Account number').fill('6222 0000 1234 5678');
  await bank.getByLabel('Note for buyers (optional)').fill(`Quote the reference (${word}).`);
  await bank.getByLabel('Reason').fill('Platform account for buyers');
  await bank.getByLabel('Password').fill('not my password');
  await bank.getByRole('button', { name: 'Save bank account' }).click();
  await expect(bank.getByTestId('error-password')).toBeVisible();
  await bank.getByLabel('Password').fill(ADMIN.password);
  await bank.getByRole('button', { name: 'Save bank account' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Bank account saved. Buyers see it on the pay page now.');

  // The buyer's pay page: account, amount, reference; then the proof.
  await buyer.goto(`/checkout/${checkoutId}/pay`);
  await hydrated(buyer);
  await expect(buyer.getByTestId('payment-status')).toHaveText('Waiting for payment');
  await expect(buyer.getByTestId('bank-account-number')).toHaveText('6222 0000 1234 5678');
  const reference = (await buyer.getByTestId('payment-reference').textContent())!.trim();
  expect(reference).toMatch(/^AGP-/);
  await expect(buyer.getByTestId('payment-order')).toContainText(orderNumber);
  const proof = buyer.getByTestId('proof-form');
  // A file that is not a receipt is refused next to the field.
  await proof.getByLabel('Receipt or screenshot').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await proof.getByRole('button', { name: 'Upload proof' }).click();
  await expect(proof.getByTestId('error-file')).toHaveText('This type of file is not accepted.');
  await proof.getByLabel('Receipt or screenshot').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png(600, 800) });
  await proof.getByRole('button', { name: 'Upload proof' }).click();
  await expect(buyer.getByTestId('action-done')).toHaveText('Proof uploaded. Finance will review it.');
  await expect(buyer.getByTestId('payment-status')).toHaveText('Proof under review');
  await expect(buyer.getByTestId('proof-link')).toContainText('receipt.png');

  // Finance rejects with a reason; the buyer reads it and uploads again.
  await openWaitingPayment(reference);
  await expect(admin.getByTestId('proof-link')).toContainText('receipt.png');
  const reject = admin.getByTestId('reject-form');
  await reject.getByLabel('Reason shown to the buyer').fill('The receipt is unreadable, please upload a clearer one');
  await reject.getByRole('button', { name: 'Reject proof' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Proof rejected. The buyer was told why.');
  await expect(admin.getByTestId('payment-status')).toHaveText('Proof rejected');

  await buyer.reload();
  await hydrated(buyer);
  await expect(buyer.getByTestId('payment-status')).toHaveText('Proof rejected');
  await expect(buyer.getByTestId('rejection-reason')).toHaveText('The receipt is unreadable, please upload a clearer one');
  const again = buyer.getByTestId('proof-form');
  await again.getByLabel('Receipt or screenshot').setInputFiles({ name: 'receipt-clear.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nreceipt') });
  await again.getByRole('button', { name: 'Upload proof' }).click();
  await expect(buyer.getByTestId('payment-status')).toHaveText('Proof under review');

  // Finance approves: the payment is paid and so is the order.
  await openWaitingPayment(reference);
  await expect(admin.getByTestId('proof-link')).toContainText('receipt-clear.pdf');
  await admin.getByTestId('approve-form').getByRole('button', { name: 'Approve payment' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Payment approved. The orders are paid.');
  await expect(admin.getByTestId('payment-status')).toHaveText('Paid');
  await expect(admin.getByTestId('posting-link')).toBeVisible();

  await buyer.reload();
  await hydrated(buyer);
  await expect(buyer.getByTestId('payment-status')).toHaveText('Paid');
  await expect(buyer.getByTestId('proof-form')).toHaveCount(0);
  await buyer.getByTestId('payment-order').getByRole('link', { name: orderNumber }).click();
  await expect(buyer.getByTestId('order-number')).toHaveText(orderNumber);
  await expect(buyer.getByTestId('order-status')).toHaveText('Paid, to ship');
});
