// Curation and catalog control (issue 13): an operator features a live listing (a schedule that ends
// before it starts is refused next to its field) and moves the home page's "New arrivals" section to
// the top; the storefront home then shows the listing featured and the sections in that order. The
// operator then finds the listing in the console's listing directory and takes it down with a
// reason: the seller sees the reason in the seller center and appeals it.
import { test, expect, type Page } from '@playwright/test';
import {
  activeSellerViaApi,
  adminPage,
  call,
  expectAudited,
  hydrated,
  shots,
  signedUpPage,
  uploadListingImageViaApi,
} from '../helpers';

/** A seller (signed up, approved and activated) with one approved, live listing; returns its id. */
async function liveListing(seller: Page, admin: Page, shop: string, title: string): Promise<number> {
  await activeSellerViaApi(seller, admin, shop);
  const imageId = await uploadListingImageViaApi(seller);
  const listingJson = JSON.stringify({
    title,
    description: 'Tieguanyin in a tin, 100 g, from Anxi.',
    category_id: null,
    price: '36.00',
    compare_at: '',
    stock: '20',
    weight_grams: '200',
    images: [imageId],
  });
  const listingId = await call(seller.request, 'save_listing', { listing_json: listingJson });
  await call(seller.request, 'submit_listing', { id: String(listingId) });
  const mine = await call(seller.request, 'get_my_listing', { id: String(listingId) });
  await call(admin.request, 'approve_listing_version', { version_id: String(mine.pending_version_id) });
  return listingId as number;
}

/** The home page's sections, top to bottom. */
async function homeSections(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid="home-categories"], [data-testid="featured"], [data-testid="newest"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
}

test('an operator curates the home page and takes a listing down from the directory', async ({ browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const shop = `Curated Tea ${stamp}`;
  const title = `Tieguanyin tin ${stamp}`;
  const admin = await adminPage(browser);
  const seller = await signedUpPage(browser, 'Li Wei', 'curated-seller');
  const listingId = await liveListing(seller, admin, shop, title);

  // Feature it: a schedule that ends before it starts is refused next to its end; without one it
  // is on the home page at once.
  await admin.goto('/console/curation');
  await hydrated(admin);
  const form = admin.getByTestId('feature-form');
  await form.getByLabel('Listing number').fill(String(listingId));
  await form.getByLabel('From (optional)').fill('2030-01-02T10:00');
  await form.getByLabel('Until (optional)').fill('2030-01-01T10:00');
  await form.getByRole('button', { name: 'Feature', exact: true }).click();
  await expect(form.getByTestId('error-ends_at')).toHaveText('The end must be after the start.');
  await form.getByLabel('From (optional)').fill('');
  await form.getByLabel('Until (optional)').fill('');
  await form.getByRole('button', { name: 'Feature', exact: true }).click();
  await expect(admin.getByTestId('action-done')).toBeVisible();
  const row = admin.getByTestId('featured-row').filter({ hasText: title });
  await expect(row.getByTestId('featured-state')).toHaveText('On the home page');

  // New arrivals to the top: two moves up.
  const sections = admin.getByTestId('section-row');
  await admin.locator('[data-testid="section-row"][data-key="newest"]').getByTestId('section-up').click();
  await expect(sections.nth(1)).toHaveAttribute('data-key', 'newest');
  await admin.locator('[data-testid="section-row"][data-key="newest"]').getByTestId('section-up').click();
  await expect(sections.first()).toHaveAttribute('data-key', 'newest');
  await shots(admin, 'curation');

  // The storefront home: featured, and New arrivals first.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/');
  await expect(visitor.getByTestId('featured')).toContainText(title);
  const order = await homeSections(visitor);
  expect(order[0]).toBe('newest');
  expect(order.indexOf('featured')).toBeGreaterThan(0);
  await shots(visitor, 'home-curated');

  // The directory: filtered by the seller's name, the listing's page, the take-down.
  await admin.goto(`/console/listings?seller=${encodeURIComponent(shop)}`);
  await hydrated(admin);
  const dirRow = admin.getByTestId('directory-row').filter({ hasText: title });
  await expect(dirRow).toContainText('Active');
  await shots(admin, 'listing-directory');
  await dirRow.getByRole('link', { name: title }).click();
  await expect(admin.getByTestId('listing-status')).toHaveText('Active');
  await hydrated(admin);
  const reason = 'The tin in the photos is not the tin sold.';
  const takeDown = admin.getByTestId('take-down-form');
  await takeDown.getByLabel('Reason (the seller sees it)').fill(reason);
  await takeDown.getByRole('button', { name: 'Take down' }).click();
  await expect(admin.getByTestId('action-done')).toBeVisible();
  await expect(admin.getByTestId('listing-status')).toHaveText('Blocked');
  await expect(admin.getByTestId('status-reason')).toContainText(reason);
  await expect(admin.getByTestId('listing-audit')).toContainText('listings.take_down');
  await shots(admin, 'listing-directory-detail');
  await expectAudited(admin, 'listings.take_down', listingId);

  // Off the home page (a new visitor: browsers may keep the page for its 30 s max-age); the
  // seller sees the reason and appeals.
  const later = await (await browser.newContext()).newPage();
  await later.goto('/');
  await expect(later.locator('h1')).toBeVisible();
  await expect(later.getByText(title)).toHaveCount(0);
  await expect(later.getByTestId('featured')).toHaveCount(0);
  await seller.goto(`/seller/listings/${listingId}`);
  await expect(seller.getByTestId('status-reason')).toHaveText(reason);
  await seller.goto(`/seller/listings/${listingId}/appeal`);
  await hydrated(seller);
  await expect(seller.getByTestId('takedown-reason')).toHaveText(reason);
  await seller.getByLabel('Why should the listing come back?').fill('This is the tin we ship; the label shows it.');
  await seller.getByRole('button', { name: 'Send appeal' }).click();
  await expect(seller.getByTestId('appeal-done')).toBeVisible();
});
