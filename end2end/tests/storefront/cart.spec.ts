// The cart and checkout as a buyer does them. Two sellers, each with a live listing, and an active
// default commission rule are set up through the API; then a buyer adds a variant from each seller to
// the cart from the product pages, changes a quantity, adds a shipping address, checks out with bank
// transfer and lands on the payment page.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { activeSellerViaApi, adminPage, call, hydrated, signedUpPage, uploadListingImageViaApi } from '../helpers';

interface Listing {
  title: string;
  id: number;
}

let mug: Listing;
let tea: Listing;

async function liveListing(seller: Page, admin: Page, title: string, options: unknown[], variants: unknown[]): Promise<number> {
  const imageId = await uploadListingImageViaApi(seller);
  const id = await call(seller.request, 'save_listing', {
    listing_json: JSON.stringify({
      title,
      description: 'Made for the cart test.',
      category_id: null,
      price: '',
      compare_at: '',
      stock: '',
      weight_grams: '300',
      options,
      variants,
      images: [imageId],
    }),
  });
  await call(seller.request, 'submit_listing', { id: String(id) });
  const mine = await call(seller.request, 'get_my_listing', { id: String(id) });
  await call(admin.request, 'approve_listing_version', { version_id: String(mine.pending_version_id) });
  return id as number;
}

async function setUp(browser: Browser) {
  const word = `cart${Date.now().toString(36)}`;
  const admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e cart' });
  await call(admin.request, 'activate_commission_rule', {
    id: String(rule),
    reason: 'End-to-end cart test',
    password: ADMIN.password,
  });
  const kiln = await signedUpPage(browser, 'Mei Chen', 'cart-kiln');
  await activeSellerViaApi(kiln, admin, `Blue Kiln ${word}`);
  const mugTitle = `Speckled ${word} mug`;
  const mugId = await liveListing(kiln, admin, mugTitle, [{ name: 'Colour', values: ['Sand', 'Ink'] }], [
    { sku: `${word}-SAND`, options: ['Sand'], price: '18.00', compare_at: '', stock: '5' },
    { sku: `${word}-INK`, options: ['Ink'], price: '21.50', compare_at: '', stock: '3' },
  ]);
  const teaHouse = await signedUpPage(browser, 'Wang Fang', 'cart-tea');
  await activeSellerViaApi(teaHouse, admin, `Tea House ${word}`);
  const teaTitle = `Oolong ${word}`;
  const teaId = await liveListing(teaHouse, admin, teaTitle, [{ name: 'Size', values: ['100 g', '250 g'] }], [
    { sku: `${word}-100`, options: ['100 g'], price: '9.00', compare_at: '', stock: '20' },
    { sku: `${word}-250`, options: ['250 g'], price: '20.00', compare_at: '', stock: '20' },
  ]);
  await kiln.context().close();
  await teaHouse.context().close();
  await admin.context().close();
  mug = { title: mugTitle, id: mugId };
  tea = { title: teaTitle, id: teaId };
}

test.beforeAll(async ({ browser }) => {
  await setUp(browser);
});

test('a buyer fills a cart from two sellers, changes a quantity and checks out with bank transfer', async ({ browser }) => {
  const page = await signedUpPage(browser, 'Li Wei', 'cart-buyer');

  // A variant from each seller, chosen with the product page's picker.
  await page.goto(`/p/${mug.id}`);
  await hydrated(page);
  await page.getByLabel('Colour').selectOption('Ink');
  await expect(page.getByTestId('product-price')).toHaveText('$21.50');
  await page.getByTestId('add-to-cart').getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('added-to-cart')).toBeVisible();
  await expect(page.getByTestId('cart-count')).toHaveText('1');

  await page.goto(`/p/${tea.id}`);
  await hydrated(page);
  await page.getByLabel('Size').selectOption('250 g');
  await page.getByTestId('add-to-cart').getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('2');

  // The cart: grouped by seller; change the tea's quantity.
  await page.getByTestId('cart-link').click();
  await expect(page).toHaveURL(/\/cart$/);
  await hydrated(page);
  await expect(page.getByTestId('cart-seller')).toHaveCount(2);
  const teaLine = page.getByTestId('cart-line').filter({ hasText: tea.title });
  await expect(teaLine.getByTestId('line-variant')).toHaveText('250 g');
  await teaLine.getByLabel('Quantity').fill('2');
  await teaLine.getByRole('button', { name: 'Update' }).click();
  await expect(teaLine.getByTestId('line-total')).toHaveText('$40.00');
  await expect(page.getByTestId('items-total')).toHaveText('$61.50');
  await expect(page.getByTestId('cart-count')).toHaveText('3');
  // Two orders, a $5.00 shipping fee each.
  await expect(page.getByTestId('cart-total')).toHaveText('$71.50');

  // Checkout asks for an address first.
  await page.getByTestId('go-to-checkout').click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId('no-address')).toBeVisible();
  await page.getByTestId('manage-addresses').click();
  await expect(page).toHaveURL(/\/account\/addresses\?next=\/checkout$/);
  await hydrated(page);
  const form = page.getByTestId('address-form');
  await form.getByLabel('Recipient').fill('Li Wei');
  await form.getByLabel('Phone').fill('+86 138 0000 0000');
  await form.getByLabel('Address', { exact: true }).fill('88 Jianguo Road');
  await form.getByLabel('City').fill('Beijing');
  await form.getByLabel('Country code').fill('CN');
  await form.getByRole('button', { name: 'Save address' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('Address saved.');
  await expect(page.getByTestId('default-badge')).toBeVisible();
  await page.getByTestId('back-to-checkout').click();

  await expect(page).toHaveURL(/\/checkout$/);
  await hydrated(page);
  await expect(page.getByTestId('checkout-order')).toHaveCount(2);
  await expect(page.getByTestId('checkout-total')).toHaveText('$71.50');
  await expect(page.getByLabel(/88 Jianguo Road/)).toBeChecked();
  await page.getByLabel(/Bank transfer/).check();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/checkout\/\d+\/pay$/);
  await expect(page.getByTestId('cart-count')).toHaveCount(0);
  await page.context().close();
});
