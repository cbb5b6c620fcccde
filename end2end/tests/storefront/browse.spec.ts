// The storefront as a buyer sees it. A seller, a category and a listing with two variants are set up
// through the API (application, approval, listing submitted and approved); then a buyer browses home ->
// category -> product and picks a variant (price and stock follow), and a browser without JavaScript
// searches, filters and opens the product (variants table instead of the picker).
import { test, expect, type Browser, type Page } from '@playwright/test';
import { activeSellerViaApi, adminPage, call, hydrated, signedUpPage, uploadListingImageViaApi } from '../helpers';

interface Catalog {
  word: string;
  category: string;
  title: string;
  listingId: number;
}

let catalog: Catalog;

async function setUp(browser: Browser): Promise<Catalog> {
  const word = `kiln${Date.now().toString(36)}`;
  const category = `Ceramics ${word}`;
  const title = `Speckled ${word} mug`;
  const seller = await signedUpPage(browser, 'Mei Chen', 'store-seller');
  const admin: Page = await adminPage(browser);
  await activeSellerViaApi(seller, admin, `Blue Kiln ${word}`);
  const categoryId = await call(admin.request, 'create_category', {
    name_en: category,
    name_zh: `陶瓷 ${word}`,
    slug: `ceramics-${word}`,
  });
  const imageId = await uploadListingImageViaApi(seller);
  const listingId = await call(seller.request, 'save_listing', {
    listing_json: JSON.stringify({
      title,
      description: 'Wheel-thrown stoneware.\nHolds 350 ml.',
      category_id: categoryId,
      price: '',
      compare_at: '',
      stock: '',
      weight_grams: '400',
      options: [{ name: 'Colour', values: ['Sand', 'Ink'] }],
      variants: [
        { sku: `${word}-SAND`, options: ['Sand'], price: '18.00', compare_at: '24.00', stock: '5' },
        { sku: `${word}-INK`, options: ['Ink'], price: '21.50', compare_at: '', stock: '0' },
      ],
      images: [imageId],
    }),
  });
  await call(seller.request, 'submit_listing', { id: String(listingId) });
  const mine = await call(seller.request, 'get_my_listing', { id: String(listingId) });
  await call(admin.request, 'approve_listing_version', { version_id: String(mine.pending_version_id) });
  await seller.context().close();
  await admin.context().close();
  return { word, category, title, listingId };
}

test.beforeAll(async ({ browser }) => {
  catalog = await setUp(browser);
});

test('a buyer browses home -> category -> product and picks a variant', async ({ page }) => {
  // The browsing pages load the islands bundle, never the app's (app/src/frame/islands.rs).
  const wasm: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname);
  });
  await page.goto('/');
  await expect(page).toHaveTitle('Agora');
  await expect(page.getByTestId('newest').getByText(catalog.title)).toBeVisible();
  await page.getByRole('link', { name: catalog.category }).click();
  await expect(page).toHaveURL(new RegExp(`/c/ceramics-${catalog.word}$`));
  await expect(page.getByTestId('category-name')).toHaveText(catalog.category);
  await expect(page).toHaveTitle(`${catalog.category} · Agora`);
  await page.getByRole('link', { name: new RegExp(catalog.title) }).click();

  await expect(page).toHaveURL(new RegExp(`/p/${catalog.listingId}$`));
  await expect(page.getByTestId('product-title')).toHaveText(catalog.title);
  await expect(page).toHaveTitle(`${catalog.title} · Agora`);
  await hydrated(page);
  // The picker starts on the first variant in stock.
  const colour = page.getByLabel('Colour');
  await expect(colour).toBeVisible();
  await expect(colour).toHaveValue('Sand');
  await expect(page.getByTestId('product-price')).toHaveText('$18.00');
  await expect(page.getByTestId('product-compare-at')).toContainText('$24.00');
  await expect(page.getByTestId('product-stock')).toHaveText('In stock: 5');
  await expect(page.getByTestId('variants-table')).toBeHidden();

  await colour.selectOption('Ink');
  await expect(page.getByTestId('product-price')).toHaveText('$21.50');
  await expect(page.getByTestId('product-stock')).toHaveText('Sold out');
  await colour.selectOption('Sand');
  await expect(page.getByTestId('product-price')).toHaveText('$18.00');

  await expect(page.getByTestId('seller-card')).toContainText(`Blue Kiln ${catalog.word}`);
  // The trust judgment: a seller without a completed order yet is a new seller, medium risk.
  const trust = page.getByTestId('trust-judgment');
  await expect(trust.getByTestId('trust-level')).toHaveText('Medium risk');
  await expect(trust.getByTestId('trust-evidence')).toHaveText(['New seller: no completed orders yet.']);
  await expect(page.getByTestId('product-description')).toContainText('Holds 350 ml.');
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.filter((path) => !/^\/pkg\/agora-islands\.[^/]+\.wasm$/.test(path))).toEqual([]);
});

test('on a browsing page the language switch reloads it in Chinese, islands included', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/p/${catalog.listingId}`);
  await hydrated(page);
  // The page hydrates only its islands: the switch is a plain form post that comes back here.
  // (leptos's redirect back from a form post may leave an empty query: `?`.)
  await page.getByTestId('language-switch').click();
  await expect(page).toHaveURL(new RegExp(`/p/${catalog.listingId}\\??$`));
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await expect(page.getByLabel('搜索商品')).toBeVisible();
  await hydrated(page);
  // An island reads the page's language: the buy box hydrated in Chinese and still works.
  await expect(page.getByTestId('add-to-cart-button')).toHaveText('加入购物车');
  await page.getByLabel('Colour').selectOption('Ink');
  await expect(page.getByTestId('product-price')).toHaveText('$21.50');
  // Into the app (a page load that hydrates the whole app): still Chinese.
  await page.getByRole('link', { name: '登录' }).first().click();
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByRole('heading', { name: '登录 Agora' })).toBeVisible();
  await context.close();
});

test('search, filters and the product page work without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Search listings').fill(catalog.word);
  await page.getByLabel('Search listings').press('Enter');
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${catalog.word}`));
  const results = page.getByTestId('search-results');
  await expect(results.getByTestId('listing-card')).toHaveCount(1);
  await expect(results.getByTestId('listing-title')).toHaveText(catalog.title);

  // A price range that excludes it: the empty state; bad input: the message next to the field.
  const filters = page.getByTestId('filters');
  await filters.getByLabel('Min price').fill('30');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await filters.getByLabel('Min price').fill('abc');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('error-min')).toHaveText('Enter an amount such as 12.50.');
  await filters.getByLabel('Min price').fill('10');
  await filters.getByLabel('Sort by').selectOption('price_asc');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(results.getByTestId('listing-card')).toHaveCount(1);

  await results.getByRole('link', { name: new RegExp(catalog.title) }).click();
  await expect(page.getByTestId('product-title')).toHaveText(catalog.title);
  // Without the WASM there is no picker: every variant with its price and stock.
  await expect(page.getByTestId('variant-picker')).toBeHidden();
  const table = page.getByTestId('variants-table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('row', { name: /Sand/ })).toContainText('$18.00');
  await expect(table.getByRole('row', { name: /Ink/ })).toContainText('Sold out');
  await context.close();
});

test('a listing that is not visible answers 404 with a "no longer available" page', async ({ page }) => {
  const res = await page.goto('/p/999999999999');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-available')).toContainText('No longer available');
});
