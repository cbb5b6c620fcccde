// Shared steps for the end-to-end tests: each one is a thing a person does in the browser.
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { createHmac } from 'node:crypto';
import { ADMIN } from '../fixtures/accounts';
import { waitForMail } from './mail';

export const PASSWORD = 'a quiet harbour at dawn';

export function uniqueEmail(label: string) {
  return `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Waits until the page's WASM has hydrated, so clicks reach Rust event handlers. */
export async function hydrated(page: Page) {
  await page.waitForLoadState('networkidle');
}

export async function signUp(page: Page, name: string, email: string, password = PASSWORD) {
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The link to `path` (with its `?token=`) in a mail's text. */
export function linkIn(text: string, path: string): string {
  const found = text.match(new RegExp(`https?://\\S+${path.replace(/\//g, '\\/')}\\?token=[A-Za-z0-9_-]+`));
  if (!found) throw new Error(`no ${path} link in the mail: ${text}`);
  return found[0];
}

/**
 * Proves a new account's address as its owner does: opens the link in the verification mail (from
 * the test mail server) and confirms. Selling and payouts need it.
 */
export async function verifyAddress(page: Page, email: string) {
  const mail = await waitForMail({ to: email, subject: 'Confirm your email address for Agora' });
  await page.goto(linkIn(mail.text, '/account/verify'));
  await hydrated(page);
  await page.getByRole('button', { name: 'Verify my address' }).click();
  await expect(page.getByTestId('done')).toHaveText('Your email address is verified.');
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A fresh browser context signed in as the bootstrap super admin, on the command center. */
export async function adminPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/console$/);
  return page;
}

/** Opens a user's detail page through the directory's search, as an operator would. */
export async function openUser(page: Page, email: string) {
  await page.goto('/console/users');
  await hydrated(page);
  await page.getByLabel('Email or name contains').fill(email);
  await page.getByLabel('Email or name contains').press('Enter');
  // The users table's link: the recent refusals below may name the same user.
  await page.getByTestId('users-table').getByRole('link', { name: email }).click();
  await expect(page.getByTestId('user-email')).toHaveText(email);
  await hydrated(page);
}

/** Opens one tab of a record's page (a user's: Profile, Roles, Sessions, Orders, ...). */
export async function openTab(page: Page, name: string) {
  const tab = page.getByTestId('tabs').getByRole('link', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-current', 'page');
}

/** A fresh browser context with a newly signed-up user who has verified the address; `label` makes the email unique. */
export async function signedUpPage(browser: Browser, name: string, label: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const email = uniqueEmail(label);
  await signUp(page, name, email);
  await expect(page.getByTestId('account-link')).toBeVisible();
  await verifyAddress(page, email);
  return page;
}

/** Waits until the outbox worker has delivered an in-app notification containing `text`. */
export async function expectNotification(page: Page, text: string) {
  await expect(async () => {
    await page.goto('/notifications');
    await expect(page.getByText(text)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

// ---------------------------------------------------------------------------------------------
// Files

/** The smallest PNG header the server accepts as an image of `w` x `h` pixels. */
export function png(w: number, h: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).copy(b, 0);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  Buffer.from([8, 6, 0, 0, 0, 0, 0, 0, 0]).copy(b, 24);
  return b;
}

// ---------------------------------------------------------------------------------------------
// Applying to sell (/sell) and the seller queue (/console/sellers)

/** Who fills a seller application; the defaults are a company in China. */
export interface Applicant {
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  businessType: 'company' | 'individual';
  region: string;
  description?: string;
}

export const TEA_COMPANY: Applicant = {
  contactName: 'Li Wei',
  contactEmail: 'li@example.com',
  contactPhone: '+86 138 0000 0000',
  businessType: 'company',
  region: 'CN',
  description: 'Loose-leaf tea from Fujian.',
};

/** Fills the application form on /sell (already open and hydrated) and saves it as a draft. */
export async function saveApplicationDraft(page: Page, shop: string, who: Applicant = TEA_COMPANY) {
  const form = page.getByTestId('application-form');
  await form.getByLabel('Shop or business name').fill(shop);
  await form.getByLabel('Contact person').fill(who.contactName);
  await form.getByLabel('Contact email').fill(who.contactEmail);
  await form.getByLabel('Contact phone').fill(who.contactPhone);
  await form.getByLabel('Business type').selectOption(who.businessType);
  await form.getByLabel('Region').selectOption(who.region);
  if (who.description) await form.getByLabel('What you sell').fill(who.description);
  await form.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('Application saved.');
  await expect(page.getByTestId('seller-status')).toHaveText('Draft');
}

/** Uploads a business licence (a generated PNG) on /sell and waits for its row. */
export async function uploadLicence(page: Page, fileName = 'licence.png') {
  const upload = page.getByTestId('upload-form');
  await upload.getByLabel('Kind of document').selectOption('business_licence');
  await upload.getByLabel('File', { exact: true }).setInputFiles({ name: fileName, mimeType: 'image/png', buffer: png(800, 600) });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByTestId('document-row').filter({ hasText: fileName })).toBeVisible();
}

/** A signed-in user applies to sell on /sell: draft, business licence, submit. */
export async function applyToSell(page: Page, shop: string, who: Applicant = TEA_COMPANY, licence = 'licence.png') {
  await page.goto('/sell');
  await hydrated(page);
  await saveApplicationDraft(page, shop, who);
  await uploadLicence(page, licence);
  await page.getByRole('button', { name: 'Submit application' }).click();
  await expect(page.getByTestId('seller-status')).toHaveText('Submitted');
}

/** Opens a seller's console page from the queue at /console/sellers. */
export async function openSeller(admin: Page, shop: string) {
  await admin.goto('/console/sellers');
  await hydrated(admin);
  await admin.getByTestId('sellers-table').getByRole('link', { name: shop }).click();
  await expect(admin.getByTestId('seller-name')).toHaveText(shop);
  await hydrated(admin);
}

/** On a seller's console page (open): approve the application, then activate the seller. */
export async function approveAndActivate(admin: Page) {
  await admin.getByTestId('approve-form').getByRole('button', { name: 'Approve application' }).click();
  await expect(admin.getByTestId('seller-status').first()).toHaveText('Approved');
  await hydrated(admin);
  await admin.getByTestId('activate-form').getByRole('button', { name: 'Activate seller' }).click();
  await expect(admin.getByTestId('seller-status').first()).toHaveText('Active');
}

/**
 * A new user signs up and applies to sell, and `admin` (an operator's page; by default a fresh admin
 * session, closed afterwards) approves and activates the seller in the console. Returns the seller's page.
 */
export async function activeSeller(
  browser: Browser,
  shop: string,
  opts: { name?: string; who?: Applicant; admin?: Page } = {},
): Promise<Page> {
  const page = await signedUpPage(browser, opts.name ?? 'Ana Lima', 'seller');
  await applyToSell(page, shop, opts.who);
  const admin = opts.admin ?? (await adminPage(browser));
  await openSeller(admin, shop);
  await approveAndActivate(admin);
  if (!opts.admin) await admin.context().close();
  return page;
}

// ---------------------------------------------------------------------------------------------
// Set-up through the API, for specs whose subject is a later step

/** Calls a server fn at /api/<endpoint> with a form body; fails the test unless it answers 2xx. */
export async function call(request: APIRequestContext, endpoint: string, form: Record<string, string>) {
  const res = await request.post(`/api/${endpoint}`, { form });
  const text = await res.text();
  expect(res.ok(), `${endpoint}: ${res.status()} ${text}`).toBeTruthy();
  return text ? JSON.parse(text) : null;
}

/** `seller` (signed in) applies through the API and `admin` approves and activates; returns the org id. */
export async function activeSellerViaApi(seller: Page, admin: Page, shop: string): Promise<number> {
  const orgId = await call(seller.request, 'save_seller_application', {
    name: shop,
    contact_name: TEA_COMPANY.contactName,
    contact_email: TEA_COMPANY.contactEmail,
    contact_phone: TEA_COMPANY.contactPhone,
    business_type: TEA_COMPANY.businessType,
    region: TEA_COMPANY.region,
    description: 'Loose-leaf tea.',
  });
  const doc = await seller.request.post('/uploads/seller-document', {
    multipart: { kind: 'business_licence', file: { name: 'licence.png', mimeType: 'image/png', buffer: png(600, 400) } },
  });
  expect(doc.status()).toBe(201);
  await call(seller.request, 'submit_seller_application', {});
  await call(admin.request, 'decide_seller', { id: String(orgId), action: 'approve' });
  await call(admin.request, 'decide_seller', { id: String(orgId), action: 'activate' });
  return orgId as number;
}

/** Uploads a listing image through the API as `seller`; returns its upload id. */
export async function uploadListingImageViaApi(seller: Page, fileName = 'tea.png'): Promise<number> {
  const image = await seller.request.post('/uploads/listing-image', {
    multipart: { file: { name: fileName, mimeType: 'image/png', buffer: png(800, 800) } },
  });
  expect(image.status()).toBe(201);
  return (await image.json()).id as number;
}

// ---------------------------------------------------------------------------------------------
// The seller center's listing editor (/seller/listings/new, /seller/listings/:id)

export interface VariantInput {
  value: string;
  price: string;
  stock: string;
}

/**
 * Fills the listing editor (on the page): title, description, one uploaded image, shipping weight and
 * one option whose values are the variants, each with its price and stock. Does not save.
 */
export async function fillListing(
  page: Page,
  l: { title: string; description: string; image?: string; weightGrams?: string; option: string; variants: VariantInput[] },
) {
  const editor = page.getByTestId('listing-editor');
  await editor.getByLabel('Title').fill(l.title);
  await editor.getByLabel('Description').fill(l.description);
  await editor
    .getByLabel('Add image')
    .setInputFiles({ name: l.image ?? 'photo.png', mimeType: 'image/png', buffer: png(600, 600) });
  await expect(editor.getByTestId('listing-image')).toHaveCount(1);
  await editor.getByLabel('Shipping weight (grams)').fill(l.weightGrams ?? '180');
  await editor.getByRole('button', { name: 'Add option' }).click();
  await editor.getByLabel('Option name').fill(l.option);
  await editor.getByLabel('Values, separated by commas').fill(l.variants.map((v) => v.value).join(', '));
  await expect(editor.getByTestId('variant-row')).toHaveCount(l.variants.length);
  for (const v of l.variants) {
    await editor.getByRole('textbox', { name: `Price — ${v.value}` }).fill(v.price);
    await editor.getByRole('textbox', { name: `Stock — ${v.value}` }).fill(v.stock);
  }
}

// ---------------------------------------------------------------------------------------------
// The review queue (/console/reviews)

/** Opens the listing titled `title` from the review queue. */
export async function openReview(admin: Page, title: string) {
  await admin.goto('/console/reviews');
  await hydrated(admin);
  await admin.getByTestId('review-row').getByRole('link', { name: title, exact: true }).click();
  await expect(admin.getByTestId('review-title')).toHaveText(title);
  await hydrated(admin);
}

/** On an open review: rejects with `reason` (shown to the seller). */
export async function rejectListing(admin: Page, reason: string) {
  const reject = admin.getByTestId('reject-form');
  await reject.getByLabel('Reason shown to the seller').fill(reason);
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Rejected');
  await expect(admin.getByTestId('version-status')).toHaveText('Rejected');
}

/** On an open review: approves and publishes. */
export async function approveListing(admin: Page) {
  await admin.getByTestId('approve-form').getByRole('button', { name: 'Approve and publish' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Approved');
  await expect(admin.getByTestId('version-status')).toHaveText('Approved');
  await expect(admin.getByTestId('listing-status')).toHaveText('Live');
}

// ---------------------------------------------------------------------------------------------
// Trust & safety: the report button on product pages and the reports queue (/console/reports)

/** On a product page (open, signed in): reports the listing with a category value and a text. */
export async function reportListing(page: Page, category: string, text: string) {
  await hydrated(page);
  const report = page.getByTestId('report-listing');
  await report.getByText('Report this listing').click();
  await report.getByLabel('Reason').selectOption(category);
  await report.getByLabel('Tell us more').fill(text);
  await report.getByRole('button', { name: 'Send report' }).click();
  await expect(report.getByTestId('report-done')).toBeVisible();
}

/** Opens the report about the listing titled `title` from the reports queue. */
export async function openReportAbout(admin: Page, title: string) {
  await admin.goto('/console/reports');
  await hydrated(admin);
  const row = admin.getByTestId('report-row').filter({ hasText: title });
  await row.getByTestId('case-link').click();
  await expect(admin.getByTestId('case-body')).toBeVisible();
  await hydrated(admin);
}

/** On an open report case: takes the listing down with `reason`. */
export async function takeListingDown(admin: Page, reason: string) {
  const takeDown = admin.getByTestId('take-down-form');
  await takeDown.getByLabel('Reason (the people involved are told)').fill(reason);
  await takeDown.getByRole('button', { name: 'Take the listing down' }).click();
  await expect(admin.getByTestId('action-done')).toBeVisible();
  await expect(admin.getByTestId('case-outcome')).toHaveText('Listing taken down');
  await expect(admin.getByTestId('target-status')).toHaveText('Taken down');
}

// ---------------------------------------------------------------------------------------------
// Orders end to end (shared by flows/orders.spec.ts and flows/finance.spec.ts)

/** A fresh browser context with a newly signed-up, verified user; returns the page and the email. */
export async function newUser(browser: Browser, name: string, label: string): Promise<[Page, string]> {
  const page = await (await browser.newContext()).newPage();
  const email = uniqueEmail(label);
  await signUp(page, name, email);
  await expect(page.getByTestId('account-link')).toBeVisible();
  // Some of these users go on to sell: prove the address as a real seller would.
  await verifyAddress(page, email);
  return [page, email];
}

/** Signs `page` in again (sessions expire when the application clock moves). */
export async function signInAgain(page: Page, email: string, password = PASSWORD) {
  await signIn(page, email, password);
  await expect(page).not.toHaveURL(/\/signin/);
}

/** Moves the application clock forward (test-only endpoint; everyone must sign in again). */
export async function advanceClock(page: Page, ms: number) {
  const moved = await page.request.post(`/__dev/clock/advance?ms=${ms}`);
  expect(moved.ok()).toBeTruthy();
}

export interface Shop {
  page: Page;
  email: string;
  org: number;
  title: string;
  listing: number;
}

/**
 * A new seller (active, through the API) with one live listing at `price` and 10 in stock; `admin`
 * approves the seller and the listing.
 */
export async function shopWithListing(
  browser: Browser,
  admin: Page,
  name: string,
  shop: string,
  title: string,
  price: string,
): Promise<Shop> {
  const [page, email] = await newUser(browser, name, 'flow-seller');
  const org = await activeSellerViaApi(page, admin, shop);
  const image = await uploadListingImageViaApi(page);
  const listing = await call(page.request, 'save_listing', {
    listing_json: JSON.stringify({
      title,
      description: 'Made for the end-to-end flows.',
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

/**
 * The platform's bank account for transfers (the pay page shows it), through the API. Specs share one
 * server: saving the same account again is refused as unchanged, which is fine here.
 */
export async function ensurePlatformBankAccount(admin: Page, reason: string) {
  const res = await admin.request.post('/api/save_bank_account', {
    form: {
      holder: 'Agora Marketplace Ltd',
      bank_name: 'Bank of Tests',
      account_number: '6222 0000 1234 5678',
      reason,
      password: ADMIN.password,
    },
  });
  const text = await res.text();
  expect(res.ok() || text.includes('payments.bank.unchanged'), `save_bank_account: ${res.status()} ${text}`).toBeTruthy();
}

/** The buyer's default address, through the API. */
export async function saveBuyerAddress(buyer: Page) {
  await call(buyer.request, 'save_address', {
    recipient: 'Li Wei',
    phone: '+86 138 0000 0000',
    line1: '88 Jianguo Road',
    city: 'Beijing',
    country: 'CN',
    make_default: 'on',
  });
}

/** Called after each visible step with the page and a name (e.g. to take screenshots). */
export type StepHook = (page: Page, name: string) => Promise<void>;
const noHook: StepHook = async () => {};

/**
 * The buyer puts one of each listing in the cart and checks out with bank transfer (the total must
 * read `total`), uploads proof, and finance (`admin`) approves the payment. Returns the order numbers.
 */
export async function buyAndPayByBankTransfer(
  buyer: Page,
  admin: Page,
  listings: number[],
  total: string,
  hook: StepHook = noHook,
): Promise<string[]> {
  for (const [i, listing] of listings.entries()) {
    await buyer.goto(`/p/${listing}`);
    await hydrated(buyer);
    await buyer.getByTestId('add-to-cart').getByRole('button', { name: 'Add to cart' }).click();
    // The cart's counter (the "added" notice may already be gone on a slow machine).
    await expect(buyer.getByTestId('cart-link')).toContainText(String(i + 1));
  }
  await buyer.getByTestId('cart-link').click();
  await hydrated(buyer);
  await expect(buyer.getByTestId('cart-seller')).toHaveCount(listings.length);
  await hook(buyer, 'flow-cart');
  await buyer.getByTestId('go-to-checkout').click();
  await expect(buyer).toHaveURL(/\/checkout$/);
  await hydrated(buyer);
  await expect(buyer.getByTestId('checkout-order')).toHaveCount(listings.length);
  await expect(buyer.getByTestId('checkout-total')).toHaveText(total);
  await hook(buyer, 'flow-checkout');
  await buyer.getByLabel(/Bank transfer/).check();
  await buyer.getByRole('button', { name: 'Place order' }).click();
  await expect(buyer).toHaveURL(/\/checkout\/\d+\/pay$/);
  await hydrated(buyer);

  // The pay page: the platform's account and a reference; the buyer uploads proof.
  await expect(buyer.getByTestId('bank-account-number')).toHaveText('6222 0000 1234 5678');
  const reference = (await buyer.getByTestId('payment-reference').textContent())!.trim();
  const numbers = (await buyer.getByTestId('payment-order').allTextContents()).map((t) => t.match(/AG-\d{8}-\d{8}-\d+/)![0]);
  expect(numbers).toHaveLength(listings.length);
  const proof = buyer.getByTestId('proof-form');
  await proof.getByLabel('Receipt or screenshot').setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: png(600, 800) });
  await proof.getByRole('button', { name: 'Upload proof' }).click();
  await expect(buyer.getByTestId('payment-status')).toHaveText('Proof under review');
  await hook(buyer, 'flow-pay');

  // Finance approves the payment from the queue of waiting proofs.
  await admin.goto('/console/payments?status=proof_submitted');
  await hydrated(admin);
  await admin.getByTestId('payments-table').getByRole('link', { name: reference }).click();
  await expect(admin.getByTestId('payment-reference')).toHaveText(reference);
  await hydrated(admin);
  await admin.getByTestId('approve-form').getByRole('button', { name: 'Approve payment' }).click();
  await expect(admin.getByTestId('payment-status')).toHaveText('Paid');
  await hook(admin, 'flow-payment-detail');
  return numbers;
}

/** The seller ships its newest paid order (one of `numbers`) from /seller/orders; returns its number. */
export async function shipPaidOrder(shop: Shop, numbers: string[], hook: StepHook = noHook): Promise<string> {
  const page = shop.page;
  await page.goto('/seller/orders');
  await hydrated(page);
  const row = page.getByTestId('order-row').filter({ hasText: /AG-/ }).first();
  await expect(row.getByTestId('order-status')).toHaveText('Paid, to ship');
  const number = (await row.getByRole('link', { name: /AG-/ }).textContent())!.trim();
  expect(numbers).toContain(number);
  await row.getByRole('link', { name: number }).click();
  await expect(page.getByTestId('order-number')).toHaveText(number);
  await hydrated(page);
  const ship = page.getByTestId('ship-form');
  await ship.getByLabel('Carrier', { exact: true }).selectOption('sf');
  await ship.getByLabel('Tracking number').fill('SF1234567890');
  await ship.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Shipped');
  await hook(page, `flow-seller-order-${shop.org}`);
  return number;
}

/** The console audit log lists an entry of `action` on `targetId`. */
export async function expectAudited(admin: Page, action: string, targetId: string | number) {
  await admin.goto(`/console/audit?action=${encodeURIComponent(action)}&target_id=${encodeURIComponent(String(targetId))}`);
  await hydrated(admin);
  await expect(admin.getByTestId('audit-table')).toContainText(action);
}

/**
 * With E2E_SCREENSHOTS=<dir>: the page in English and in Chinese, full page, for a look by eye
 * (`<dir>/<name>-en.png`, `-zh.png`); then back in English. Without it, nothing. Screenshot runs
 * take longer: give them `--timeout 180000`.
 */
export async function shots(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  const lang = async (l: string) => {
    await page.request.post('/api/set_language', { form: { lang: l }, headers: { origin: new URL(page.url()).origin } });
    await page.reload();
    await hydrated(page);
  };
  for (const l of ['en', 'zh']) {
    await lang(l);
    await page.screenshot({ path: `${dir}/${name}-${l}.png`, fullPage: true });
  }
  await lang('en');
}

/**
 * With E2E_SCREENSHOTS=<dir>: the page as it is now, in its current language (`<dir>/<name>.png`),
 * without the reload `shots` needs, which would lose what a form just answered.
 */
export async function shotAsIs(page: Page, name: string) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

// ---------------------------------------------------------------------------------------------
// Two-step sign-in: codes as an authenticator app computes them from the key the page shows

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = ((value << 5) | alphabet.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 6238: HMAC-SHA1 of the 30-second step at `ms`, dynamically truncated to six digits. */
export function totp(key: string, ms: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const h = createHmac('sha1', base32(key)).update(counter).digest();
  const o = h[h.length - 1] & 15;
  const n = (((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1_000_000;
  return String(n).padStart(6, '0');
}
