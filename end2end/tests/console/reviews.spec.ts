// The review queue: a seller (set up through the API: application, approval, a listing submitted)
// waits in the queue; the reviewer opens it, rejects it with a reason, the seller fixes and
// resubmits, the reviewer sees the resubmission and approves it, and the listing is live.
import { test, expect } from '@playwright/test';
import {
  activeSellerViaApi,
  adminPage,
  approveListing,
  call,
  expectNotification,
  hydrated,
  openReview,
  signedUpPage,
  uploadListingImageViaApi,
} from '../helpers';

function listingJson(title: string, images: number[]) {
  return JSON.stringify({
    title,
    description: 'Spring harvest jasmine tea, 100 g tin, from Fujian.',
    category_id: null,
    price: '12.50',
    compare_at: '',
    stock: '30',
    weight_grams: '150',
    images,
  });
}

test('a reviewer rejects a listing with a reason, then approves the resubmission', async ({ browser }) => {
  const shop = `Jasmine House ${Date.now()}`;
  const title = `Jasmine pearls ${Date.now()}`;
  const seller = await signedUpPage(browser, 'Li Wei', 'reviewed-seller');
  const admin = await adminPage(browser);
  await activeSellerViaApi(seller, admin, shop);

  const imageId = await uploadListingImageViaApi(seller);
  const listingId = await call(seller.request, 'save_listing', { listing_json: listingJson(title, [imageId]) });
  await call(seller.request, 'submit_listing', { id: String(listingId) });

  // The queue shows it with its counters.
  await admin.goto('/console/reviews');
  await hydrated(admin);
  await expect(admin.getByTestId('count-to-review')).toBeVisible();
  const row = admin.getByTestId('review-row').filter({ hasText: title });
  await expect(row).toContainText(shop);
  await expect(row.getByTestId('risk-badge')).toBeVisible();
  await expect(row.getByTestId('sla-left')).toContainText('left');
  await row.getByRole('link', { name: title }).click();
  await expect(admin.getByTestId('review-title')).toHaveText(title);
  await hydrated(admin);
  await expect(admin.getByTestId('variant-row')).toHaveCount(1);

  // A too-short reason is explained; a real one rejects.
  const reject = admin.getByTestId('reject-form');
  await reject.getByLabel('Reason shown to the seller').fill('no');
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(admin.getByTestId('error-reason')).toBeVisible();
  await reject.getByLabel('Reason shown to the seller').fill('The photo shows a different tin.');
  await reject.getByRole('button', { name: 'Reject' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Rejected');
  await expect(admin.getByTestId('version-status')).toHaveText('Rejected');
  await expect(admin.getByTestId('decision-reason')).toHaveText('The photo shows a different tin.');
  await expect(admin.getByTestId('decided-note')).toBeVisible();

  // The seller is told, fixes the listing and resubmits.
  // The outbox worker delivers in-app notifications shortly after the decision commits.
  await expectNotification(seller, 'The photo shows a different tin.');
  await call(seller.request, 'save_listing', { id: String(listingId), listing_json: listingJson(`${title} tin`, [imageId]) });
  await call(seller.request, 'submit_listing', { id: String(listingId) });

  await openReview(admin, `${title} tin`);
  await expect(admin.getByTestId('review-history')).toContainText('The photo shows a different tin.');
  await approveListing(admin);

  await admin.goto('/console/reviews');
  await hydrated(admin);
  await expect(admin.getByTestId('review-row').filter({ hasText: title })).toHaveCount(0);
});
