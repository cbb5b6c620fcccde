// Orders after checkout, as the seller and the buyer see them. A seller with a live listing, an
// active commission rule and a buyer's paid order (sandbox card) are set up through the API; then the
// seller finds the paid order in the seller center and ships it, and the buyer follows the timeline
// on their order page and confirms receipt.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { activeSellerViaApi, adminPage, call, hydrated, signedUpPage, uploadListingImageViaApi } from '../helpers';

let seller: Page;
let buyer: Page;
let orderNumber: string;
let title: string;

async function setUp(browser: Browser) {
  const word = `ord${Date.now().toString(36)}`;
  const admin = await adminPage(browser);
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e orders' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end orders test', password: ADMIN.password });

  seller = await signedUpPage(browser, 'Wang Fang', 'orders-seller');
  await activeSellerViaApi(seller, admin, `Tea House ${word}`);
  title = `Oolong ${word}`;
  const image = await uploadListingImageViaApi(seller);
  const listing = await call(seller.request, 'save_listing', {
    listing_json: JSON.stringify({
      title,
      description: 'Made for the orders test.',
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
  await admin.context().close();

  buyer = await signedUpPage(browser, 'Li Wei', 'orders-buyer');
  const product = await call(buyer.request, 'storefront_listing', { id: String(listing) });
  await call(buyer.request, 'add_to_cart', { variant_id: String(product.variants[0].id), quantity: '2' });
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
    payment_method: 'sandbox',
  });
  orderNumber = result.order_numbers[0];
  await call(buyer.request, 'pay_with_sandbox', { checkout_id: String(result.checkout_id), card_number: '4242 4242 4242 4242' });
}

test.beforeAll(async ({ browser }) => {
  await setUp(browser);
});

test.afterAll(async () => {
  await seller?.context().close();
  await buyer?.context().close();
});

test('the seller ships a paid order, the buyer follows the timeline and confirms receipt', async () => {
  // The seller center: the orders link, the paid order, the ship form.
  await seller.goto('/seller');
  await hydrated(seller);
  await seller.getByTestId('seller-orders-link').click();
  await expect(seller).toHaveURL(/\/seller\/orders$/);
  const row = seller.getByTestId('order-row').filter({ hasText: orderNumber });
  await expect(row.getByTestId('order-status')).toHaveText('Paid, to ship');
  await row.getByRole('link', { name: orderNumber }).click();
  await expect(seller.getByTestId('order-number')).toHaveText(orderNumber);
  await expect(seller.getByTestId('order-commission')).toBeVisible();
  await hydrated(seller);

  const ship = seller.getByTestId('ship-form');
  // A tracking number that cannot be one is refused next to its field.
  await ship.getByLabel('Carrier', { exact: true }).selectOption('sf');
  await ship.getByLabel('Tracking number').fill('12');
  await ship.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(ship.getByTestId('error-tracking_number')).toHaveText('Enter 4 to 40 letters, digits or dashes.');
  await ship.getByLabel('Tracking number').fill('SF1234567890');
  await ship.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(seller.getByTestId('action-done')).toHaveText('Shipped: the buyer has been told.');
  await expect(seller.getByTestId('order-status')).toHaveText('Shipped');
  await expect(seller.getByTestId('ship-form')).toHaveCount(0);

  // The buyer: the orders link in the header, the order, its timeline so far.
  await buyer.goto('/');
  await hydrated(buyer);
  await buyer.getByTestId('orders-link').click();
  await expect(buyer).toHaveURL(/\/orders$/);
  await buyer.getByTestId('order-row').filter({ hasText: orderNumber }).getByRole('link', { name: orderNumber }).click();
  await expect(buyer.getByTestId('order-number')).toHaveText(orderNumber);
  await expect(buyer.getByTestId('order-status')).toHaveText('Shipped');
  await expect(buyer.getByTestId('order-line')).toContainText(title);
  await expect(buyer.getByTestId('payment-status')).toHaveText('Payment confirmed');
  await expect(buyer.getByTestId('shipment-carrier')).toHaveText('SF Express');
  await expect(buyer.getByTestId('shipment-tracking')).toHaveText('SF1234567890');
  const timeline = buyer.getByTestId('timeline-event');
  await expect(timeline).toHaveCount(3);
  await expect(timeline.nth(0)).toHaveAttribute('data-action', 'created');
  await expect(timeline.nth(1)).toHaveAttribute('data-action', 'pay');
  await expect(timeline.nth(2)).toHaveAttribute('data-action', 'ship');
  await expect(timeline.nth(2)).toContainText('Shipped');
  await expect(timeline.nth(2)).toContainText('Seller');

  // Confirming receipt completes the order and adds the last step.
  await hydrated(buyer);
  await buyer.getByTestId('confirm-form').getByRole('button', { name: 'Confirm receipt' }).click();
  await expect(buyer.getByTestId('action-done')).toHaveText('Thank you: the order is complete.');
  await expect(buyer.getByTestId('order-status')).toHaveText('Completed');
  await expect(timeline).toHaveCount(4);
  await expect(timeline.nth(3)).toHaveAttribute('data-action', 'confirm');
  await expect(timeline.nth(3)).toContainText('Receipt confirmed by the buyer');
  await expect(buyer.getByTestId('confirm-form')).toHaveCount(0);

  // The seller's list now shows it completed.
  await seller.goto('/seller/orders?status=completed');
  await expect(seller.getByTestId('order-row').filter({ hasText: orderNumber }).getByTestId('order-status')).toHaveText('Completed');
});
