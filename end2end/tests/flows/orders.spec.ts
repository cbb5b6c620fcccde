// The issue 4 flow end to end: a buyer fills a cart from two sellers, checks out with bank transfer
// and uploads proof; finance approves; each seller ships; the buyer confirms one order and the clock
// passes 7 days for the other, which completes on its own; the console ledger shows the commission
// and the sellers' balances, and the trial balance reads zero.
//
// Set up through the API: the default commission rule (10%), the platform's bank account, two active
// sellers with one live listing each, and the buyer's address. The application clock is moved with
// the test-only endpoint; sessions expire with it, so everyone signs in again afterwards.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import {
  activeSellerViaApi,
  adminPage,
  call,
  hydrated,
  png,
  PASSWORD,
  signIn,
  signUp,
  uniqueEmail,
  uploadListingImageViaApi,
} from '../helpers';

const DAY = 86_400_000;
const SHOTS = process.env.E2E_SCREENSHOTS;

/** With E2E_SCREENSHOTS=<dir>: the page in English and in Chinese, for a look by eye. */
async function shots(page: Page, name: string) {
  if (!SHOTS) return;
  for (const lang of ['en', 'zh']) {
    await page.request.post('/api/set_language', { form: { lang }, headers: { origin: new URL(page.url()).origin } });
    await page.reload();
    await hydrated(page);
    await page.screenshot({ path: `${SHOTS}/${name}-${lang}.png`, fullPage: true });
  }
  await page.request.post('/api/set_language', { form: { lang: 'en' }, headers: { origin: new URL(page.url()).origin } });
}

interface Shop {
  page: Page;
  email: string;
  org: number;
  title: string;
  listing: number;
}

let admin: Page;
let buyer: Page;
let buyerEmail: string;
let kiln: Shop;
let tea: Shop;

async function newUser(browser: Browser, name: string, label: string): Promise<[Page, string]> {
  const page = await (await browser.newContext()).newPage();
  const email = uniqueEmail(label);
  await signUp(page, name, email);
  await expect(page.getByTestId('account-link')).toBeVisible();
  return [page, email];
}

async function shopWithListing(browser: Browser, name: string, shop: string, title: string, price: string): Promise<Shop> {
  const [page, email] = await newUser(browser, name, 'flow-seller');
  const org = await activeSellerViaApi(page, admin, shop);
  const image = await uploadListingImageViaApi(page);
  const listing = await call(page.request, 'save_listing', {
    listing_json: JSON.stringify({
      title,
      description: 'Made for the orders flow.',
      category_id: null,
      price,
      compare_at: '',
      stock: '10',
      weight_grams: '200',
      options: [],
      variants: [],
      images: [image],
    }),
  });
  await call(page.request, 'submit_listing', { id: String(listing) });
  const mine = await call(page.request, 'get_my_listing', { id: String(listing) });
  await call(admin.request, 'approve_listing_version', { version_id: String(mine.pending_version_id) });
  return { page, email, org, title, listing };
}

/** Signs `page` in again (sessions expired when the clock moved). */
async function again(page: Page, email: string, password = PASSWORD) {
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/signin/);
}

test.beforeAll(async ({ browser }) => {
  const word = `flow${Date.now().toString(36)}`;
  admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e flow' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end orders flow', password: ADMIN.password });
  await call(admin.request, 'save_bank_account', {
    holder: 'Agora Marketplace Ltd',
    bank_name: 'Bank of Tests',
    account_number: '6222 0000 1234 5678',
    reason: 'Platform account for the flow test',
    password: ADMIN.password,
  });
  kiln = await shopWithListing(browser, 'Mei Chen', `Blue Kiln ${word}`, `Speckled ${word} mug`, '20.00');
  tea = await shopWithListing(browser, 'Wang Fang', `Tea House ${word}`, `Oolong ${word}`, '12.00');
  [buyer, buyerEmail] = await newUser(browser, 'Li Wei', 'flow-buyer');
  await call(buyer.request, 'save_address', {
    recipient: 'Li Wei',
    phone: '+86 138 0000 0000',
    line1: '88 Jianguo Road',
    city: 'Beijing',
    country: 'CN',
    make_default: 'on',
  });
});

test.afterAll(async () => {
  for (const p of [admin, buyer, kiln?.page, tea?.page]) await p?.context().close();
});

test('two sellers, bank transfer, shipping, confirmation and the 7-day timer end in a balanced ledger', async () => {
  // The buyer fills a cart from both sellers and checks out with bank transfer.
  for (const shop of [kiln, tea]) {
    await buyer.goto(`/p/${shop.listing}`);
    await hydrated(buyer);
    await buyer.getByTestId('add-to-cart').getByRole('button', { name: 'Add to cart' }).click();
    await expect(buyer.getByTestId('added-to-cart')).toBeVisible();
  }
  await buyer.getByTestId('cart-link').click();
  await hydrated(buyer);
  await expect(buyer.getByTestId('cart-seller')).toHaveCount(2);
  await buyer.getByTestId('go-to-checkout').click();
  await expect(buyer).toHaveURL(/\/checkout$/);
  await hydrated(buyer);
  await expect(buyer.getByTestId('checkout-order')).toHaveCount(2);
  // 20.00 + 12.00 and a 5.00 shipping fee per order.
  await expect(buyer.getByTestId('checkout-total')).toHaveText('$42.00');
  await buyer.getByLabel(/Bank transfer/).check();
  await buyer.getByRole('button', { name: 'Place order' }).click();
  await expect(buyer).toHaveURL(/\/checkout\/\d+\/pay$/);
  await hydrated(buyer);

  // The pay page: the platform's account and a reference; the buyer uploads proof.
  await expect(buyer.getByTestId('bank-account-number')).toHaveText('6222 0000 1234 5678');
  const reference = (await buyer.getByTestId('payment-reference').textContent())!.trim();
  const numbers = (await buyer.getByTestId('payment-order').allTextContents()).map((t) => t.match(/AG-\d{8}-\d{8}/)![0]);
  expect(numbers).toHaveLength(2);
  const proof = buyer.getByTestId('proof-form');
  await proof.getByLabel('Receipt or screenshot').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png(600, 800) });
  await proof.getByRole('button', { name: 'Upload proof' }).click();
  await expect(buyer.getByTestId('payment-status')).toHaveText('Proof under review');

  // Finance approves the payment from the queue of waiting proofs.
  await admin.goto('/console/payments?status=proof_submitted');
  await hydrated(admin);
  await admin.getByTestId('payments-table').getByRole('link', { name: reference }).click();
  await expect(admin.getByTestId('payment-reference')).toHaveText(reference);
  await hydrated(admin);
  await admin.getByTestId('approve-form').getByRole('button', { name: 'Approve payment' }).click();
  await expect(admin.getByTestId('payment-status')).toHaveText('Paid');

  // Each seller ships its order.
  const orderOf: Record<number, string> = {};
  for (const shop of [kiln, tea]) {
    await shop.page.goto('/seller/orders');
    await hydrated(shop.page);
    const row = shop.page.getByTestId('order-row').filter({ hasText: /AG-/ }).first();
    await expect(row.getByTestId('order-status')).toHaveText('Paid, to ship');
    const number = (await row.getByRole('link', { name: /AG-/ }).textContent())!.trim();
    expect(numbers).toContain(number);
    orderOf[shop.org] = number;
    await row.getByRole('link', { name: number }).click();
    await expect(shop.page.getByTestId('order-number')).toHaveText(number);
    await hydrated(shop.page);
    const ship = shop.page.getByTestId('ship-form');
    await ship.getByLabel('Carrier', { exact: true }).selectOption('sf');
    await ship.getByLabel('Tracking number').fill('SF1234567890');
    await ship.getByRole('button', { name: 'Mark as shipped' }).click();
    await expect(shop.page.getByTestId('order-status')).toHaveText('Shipped');
  }

  // The buyer confirms the mug; the tea is left to the timer.
  await buyer.goto(`/orders/${orderOf[kiln.org]}`);
  await hydrated(buyer);
  await buyer.getByTestId('confirm-form').getByRole('button', { name: 'Confirm receipt' }).click();
  await expect(buyer.getByTestId('order-status')).toHaveText('Completed');

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
});
