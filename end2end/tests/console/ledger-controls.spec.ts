// Ledger controls and the per-seller reconciliation: finance opens the controls from the console's
// navigation and reads a healthy ledger (the trial balance reads zero, nothing unposted), then the
// reconciliation, where every seller adds up and a search that matches nobody says so. The money
// behind the figures (freeze, refunds, payouts) is covered by server/tests/integration/finance_controls.rs.
import { test, expect, type Page } from '@playwright/test';
import { adminPage, hydrated } from '../helpers';

const SHOTS = process.env.E2E_SCREENSHOTS;

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  // Both languages: the page in Chinese too, then back to English.
  for (const lang of ['zh', 'en']) {
    await page.request.post('/api/set_language', { form: { lang }, headers: { origin: new URL(page.url()).origin } });
    await page.reload();
    await hydrated(page);
    await page.screenshot({ path: `${SHOTS}/${name}-${lang}.png`, fullPage: true });
  }
}

test('finance reads the ledger controls and the seller reconciliation', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.getByRole('link', { name: 'Ledger controls' }).first().click();
  await expect(admin).toHaveURL(/\/console\/ledger\/controls$/);
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'Ledger controls', level: 1 })).toBeVisible();

  // The trial balance reads zero and the ledger checks out.
  const trial = admin.getByTestId('controls-trial');
  await expect(trial).toHaveAttribute('data-zero', 'true');
  for (const total of await admin.getByTestId('controls-trial-total').all()) {
    await expect(total).toHaveAttribute('data-minor', '0');
  }
  await expect(trial).toContainText('The trial balance reads zero');
  // Every money event has its posting.
  await expect(admin.getByTestId('unposted')).toHaveAttribute('data-count', '0');
  await expect(admin.getByTestId('unposted-check')).toHaveCount(5);
  await expect(admin.getByTestId('total-available')).toBeVisible();
  await expect(admin.getByTestId('total-in-transit')).toBeVisible();
  await expect(admin.getByTestId('releasable')).toBeVisible();
  await expect(admin.getByTestId('negatives')).toBeVisible();
  await admin.getByRole('button', { name: 'Check again' }).click();
  await expect(admin.getByTestId('controls-trial')).toHaveAttribute('data-zero', 'true');
  await shot(admin, 'ledger-controls');

  // The reconciliation: every seller with money adds up (or nobody has money yet).
  await admin.getByRole('link', { name: 'Seller reconciliation' }).click();
  await expect(admin).toHaveURL(/\/console\/ledger\/reconciliation$/);
  await hydrated(admin);
  await expect(admin.getByRole('heading', { name: 'Seller reconciliation', level: 1 })).toBeVisible();
  const rows = admin.getByTestId('recon-row');
  if ((await rows.count()) > 0) {
    await expect(admin.getByTestId('reconciliation')).toBeVisible();
    await expect(admin.locator('[data-testid="recon-row"][data-adds-up="false"]')).toHaveCount(0);
  } else {
    await expect(admin.getByText('No seller has money in the ledger yet.')).toBeVisible();
  }
  await shot(admin, 'reconciliation');

  // A search that matches nobody says so.
  await admin.getByRole('searchbox', { name: 'Search sellers by name' }).fill('no seller is called this');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(/q=no/);
  await expect(admin.getByText('No seller matches this search.')).toBeVisible();
});
