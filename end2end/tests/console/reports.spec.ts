// Trust & safety: a live listing (set up through the API: seller application, approval, a listing
// submitted and approved) is reported by a buyer from its product page; an operator finds the report
// in the queue, takes the listing down with a reason, and the product page then says it is no longer
// available (and search no longer finds it).
import { test, expect, type Page } from '@playwright/test';
import {
  activeSellerViaApi,
  adminPage,
  call,
  expectNotification,
  hydrated,
  signedUpPage,
  uploadListingImageViaApi,
} from '../helpers';

/** A seller (signed up, approved and activated) with one approved, live listing; returns its id. */
async function liveListing(seller: Page, admin: Page, shop: string, title: string): Promise<number> {
  await activeSellerViaApi(seller, admin, shop);
  const imageId = await uploadListingImageViaApi(seller);
  const listingJson = JSON.stringify({
    title,
    description: 'Aged oolong in a gift box, 250 g, from Anxi.',
    category_id: null,
    price: '88.00',
    compare_at: '',
    stock: '12',
    weight_grams: '400',
    images: [imageId],
  });
  const listingId = await call(seller.request, 'save_listing', { listing_json: listingJson });
  await call(seller.request, 'submit_listing', { id: String(listingId) });
  const mine = await call(seller.request, 'get_my_listing', { id: String(listingId) });
  expect(mine.pending_version_id, 'the submitted version').toBeTruthy();
  await call(admin.request, 'approve_listing_version', { version_id: String(mine.pending_version_id) });
  return listingId as number;
}

test('a buyer reports a listing, an operator takes it down, and it is gone', async ({ browser }) => {
  // Four people, a seller set up through the API and a notification delivered by the outbox worker.
  test.setTimeout(120_000);
  const stamp = Date.now();
  const title = `Anxi oolong gift box ${stamp}`;
  const admin = await adminPage(browser);
  const seller = await signedUpPage(browser, 'Li Wei', 'reported-seller');
  const listingId = await liveListing(seller, admin, `Anxi Tea ${stamp}`, title);

  // An anonymous visitor is asked to sign in first.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/p/${listingId}`);
  await expect(visitor.getByTestId('report-listing')).toHaveAttribute('href', `/signin?next=%2Fp%2F${listingId}`);

  // The buyer reports it from the product page; a too-short text is explained first.
  const buyer = await signedUpPage(browser, 'Chen Jing', 'reporting-buyer');
  await buyer.goto(`/p/${listingId}`);
  await hydrated(buyer);
  const report = buyer.getByTestId('report-listing');
  await report.getByText('Report this listing').click();
  await report.getByLabel('Reason').selectOption('counterfeit');
  await report.getByLabel('Tell us more').fill('fake');
  await report.getByLabel('Tell us more').evaluate((el) => el.removeAttribute('minlength'));
  await report.getByRole('button', { name: 'Send report' }).click();
  await expect(report.getByTestId('error-body')).toHaveText('Too short.');
  await report.getByLabel('Tell us more').fill('The logo on the box is a copy of a famous brand.');
  await report.getByRole('button', { name: 'Send report' }).click();
  await expect(report.getByTestId('report-done')).toBeVisible();

  // The operator finds it in the queue and takes the listing down.
  await admin.goto('/console/reports');
  await hydrated(admin);
  await expect(admin.getByTestId('count-open-reports')).toBeVisible();
  const row = admin.getByTestId('report-row').filter({ hasText: title });
  await expect(row).toContainText('Counterfeit');
  await expect(row).toContainText('Chen Jing');
  await row.getByTestId('case-link').click();
  await expect(admin.getByTestId('case-body')).toHaveText('The logo on the box is a copy of a famous brand.');
  await hydrated(admin);
  const takeDown = admin.getByTestId('take-down-form');
  await takeDown.getByLabel('Reason (the people involved are told)').fill('Counterfeit branding confirmed.');
  await takeDown.getByRole('button', { name: 'Take the listing down' }).click();
  await expect(admin.getByTestId('action-done')).toBeVisible();
  await expect(admin.getByTestId('case-outcome')).toHaveText('Listing taken down');
  await expect(admin.getByTestId('target-status')).toHaveText('Taken down');

  // Buyers see that it is no longer available, and search no longer finds it.
  await buyer.goto(`/p/${listingId}`);
  await expect(buyer.getByTestId('not-available')).toBeVisible();
  const search = await buyer.request.post('/api/storefront_search', { form: { q: `${stamp}` } });
  expect(search.ok()).toBeTruthy();
  const found = await search.json();
  expect((found.page.rows as Array<{ id: number }>).some((r) => r.id === listingId)).toBe(false);

  // The buyer is told the outcome.
  await expectNotification(buyer, 'the listing was taken down');
});
