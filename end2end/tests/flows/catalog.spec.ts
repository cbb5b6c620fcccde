// The catalog end to end, through the browser only (issue 3, "Tests and figures"): a user applies to
// sell; the operator approves and activates the seller; the seller creates a listing with two
// variants and a photo; a reviewer rejects it with a reason; the seller sees the reason, fixes the
// listing and resubmits; the reviewer approves; a buyer finds it by search, opens it and picks a
// variant (price and stock follow); the buyer reports it; the operator takes it down; the listing is
// gone from search and its product page says it is no longer available.
import { test, expect, type Page } from '@playwright/test';
import {
  activeSeller,
  adminPage,
  approveListing,
  expectNotification,
  fillListing,
  hydrated,
  openReportAbout,
  openReview,
  rejectListing,
  reportListing,
  signedUpPage,
  takeListingDown,
} from '../helpers';

/** Searches the storefront from /search's own form, as a buyer would. */
async function search(page: Page, q: string) {
  await page.goto('/search');
  await hydrated(page);
  const form = page.getByRole('search', { name: 'Search and filter listings' });
  await form.getByLabel('Search', { exact: true }).fill(q);
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${q}`));
  // The results follow the query string (a client-side navigation): wait for their fetch.
  await hydrated(page);
  await expect(form.getByLabel('Search', { exact: true })).toHaveValue(q);
  await expect(page.getByTestId('search-results')).toBeVisible();
}

test('apply, sell, review, buy-side search, report and take down: the whole catalog path', async ({ browser }) => {
  // Three people, three review or trust decisions and two outbox deliveries on a debug build.
  test.setTimeout(240_000);
  const stamp = String(Date.now());
  const shop = `Harbour Linen ${stamp}`;
  const title = `Harbour linen shirt ${stamp}`;
  const reason = 'The photo does not show the shirt: please upload a photo of the product itself.';

  // The operator (the bootstrap super admin: sellers, reviews and reports in one person).
  const admin = await adminPage(browser);

  // 1. A user applies to sell on /sell; 2. the operator approves and activates in /console/sellers.
  const seller = await activeSeller(browser, shop, { name: 'Hana Sato', admin });

  // 3. The seller creates a listing with two variants and a photo, and submits it for review.
  await seller.goto('/seller');
  await hydrated(seller);
  await expect(seller.getByTestId('seller-status')).toHaveText('Active');
  await seller.getByRole('link', { name: 'Create your first listing' }).click();
  await expect(seller).toHaveURL(/\/seller\/listings\/new$/);
  await hydrated(seller);
  await fillListing(seller, {
    title,
    description: 'A breezy linen shirt, garment washed, with mother-of-pearl buttons.',
    image: 'shirt.png',
    weightGrams: '220',
    option: 'Colour',
    variants: [
      { value: 'Sand', price: '42.00', stock: '7' },
      { value: 'Navy', price: '45.50', stock: '2' },
    ],
  });
  await seller.getByTestId('listing-editor').getByRole('button', { name: 'Submit for review' }).click();
  await expect(seller).toHaveURL(/\/seller\/listings\/\d+\?done=submitted$/);
  const listingPath = new URL(seller.url()).pathname;
  const listingId = Number(listingPath.split('/').pop());
  await expect(seller.getByTestId('listing-status')).toHaveText('Pending review');

  // 4. The reviewer rejects it with a reason in /console/reviews.
  await openReview(admin, title);
  await expect(admin.getByTestId('variant-row')).toHaveCount(2);
  await rejectListing(admin, reason);

  // 5. The seller sees the reason on the listing page, fixes the listing and resubmits.
  await expectNotification(seller, reason);
  await seller.goto(listingPath);
  await hydrated(seller);
  await expect(seller.getByTestId('listing-status')).toHaveText('Rejected');
  await expect(seller.getByTestId('rejected')).toBeVisible();
  await expect(seller.getByTestId('decision-reason')).toHaveText(reason);
  const editor = seller.getByTestId('listing-editor');
  await expect(editor.getByLabel('Title')).toHaveValue(title);
  await expect(editor.getByTestId('variant-row')).toHaveCount(2);
  await editor.getByLabel('Description').fill('A breezy linen shirt, garment washed, with mother-of-pearl buttons. Photographed in Sand.');
  await editor.getByRole('button', { name: 'Submit for review' }).click();
  await expect(seller.getByTestId('action-done')).toHaveText('Submitted for review.');
  await expect(seller.getByTestId('listing-status')).toHaveText('Pending review');
  await expect(seller.getByTestId('in-review')).toBeVisible();

  // 6. The reviewer sees the resubmission and approves it.
  await openReview(admin, title);
  await expect(admin.getByTestId('review-history')).toContainText(reason);
  await approveListing(admin);

  // 7. A buyer finds it by search, opens the product page and picks a variant.
  const buyer = await signedUpPage(browser, 'Omar Haddad', 'buyer');
  await search(buyer, stamp);
  const card = buyer.getByTestId('listing-card').filter({ hasText: title });
  await expect(card).toHaveCount(1);
  await expect(card.getByTestId('listing-price')).toHaveText('$42.00');
  await card.getByRole('link').click();
  await expect(buyer).toHaveURL(new RegExp(`/p/${listingId}$`));
  await expect(buyer.getByTestId('product-title')).toHaveText(title);
  await expect(buyer.getByTestId('seller-card')).toContainText(shop);
  await hydrated(buyer);
  const picker = buyer.getByTestId('variant-picker');
  await expect(picker).toBeVisible();
  await expect(buyer.getByTestId('product-price')).toHaveText('$42.00');
  await expect(buyer.getByTestId('product-stock')).toHaveText('In stock: 7');
  await picker.getByLabel('Colour').selectOption('Navy');
  await expect(buyer.getByTestId('product-price')).toHaveText('$45.50');
  await expect(buyer.getByTestId('product-stock')).toHaveText('In stock: 2');
  await picker.getByLabel('Colour').selectOption('Sand');
  await expect(buyer.getByTestId('product-price')).toHaveText('$42.00');

  // 8. The buyer reports it from the product page.
  await reportListing(buyer, 'misleading', 'The shirt that arrived for a friend was polyester, not linen.');

  // 9. The operator finds the report in /console/reports and takes the listing down.
  await openReportAbout(admin, title);
  await expect(admin.getByTestId('case-body')).toHaveText('The shirt that arrived for a friend was polyester, not linen.');
  await takeListingDown(admin, 'Material misdescribed: the listing claims linen.');

  // 10. The listing is gone from search and its product page says it is no longer available.
  await search(buyer, stamp);
  await expect(buyer.getByTestId('listing-card').filter({ hasText: title })).toHaveCount(0);
  await expect(buyer.getByText('No listings match.')).toBeVisible();
  await buyer.goto(`/p/${listingId}`);
  await expect(buyer.getByTestId('not-available')).toBeVisible();
  await expect(buyer.getByTestId('not-available')).toContainText('No longer available');
  await expect(buyer.getByTestId('product')).toHaveCount(0);

  // The seller sees the takedown and its reason on the listing page.
  await seller.goto(listingPath);
  await expect(seller.getByTestId('blocked')).toBeVisible();
  await expect(seller.getByTestId('status-reason')).toHaveText('Material misdescribed: the listing claims linen.');
});
