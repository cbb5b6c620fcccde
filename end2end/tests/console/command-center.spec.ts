// The command center (/console): a buyer pays an order by bank transfer (finance approves it), then the
// admin reads today's work, follows each queue link to the queue already filtered, picks KPI periods
// (today, 7 days, a custom period; a custom period that ends before it starts is refused next to the
// fields) and switches the trend charts between 30 and 7 days; the charts are SVG with their data in a
// table. Screenshots en + zh with E2E_SCREENSHOTS.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import {
  adminPage,
  buyAndPayByBankTransfer,
  call,
  ensurePlatformBankAccount,
  hydrated,
  newUser,
  saveBuyerAddress,
  shopWithListing,
  shots,
} from '../helpers';

let admin: Page;

test.beforeAll(async ({ browser }) => {
  admin = await adminPage(browser);
});

test.afterAll(async () => {
  await admin?.context().close();
});

/** Today's local date on the server's clock, as the KPI period line shows it. */
async function today(): Promise<string> {
  await admin.goto('/console?period=today');
  await hydrated(admin);
  const line = (await admin.getByTestId('kpi-period').textContent())!;
  return line.match(/\d{4}-\d{2}-\d{2}/)![0];
}

test('today\'s work links to the filtered queues, the KPI period picks and the charts draw', async ({ browser }) => {
  test.setTimeout(180_000);
  const word = `cc${Date.now().toString(36)}`;
  const rule = await call(admin.request, 'create_commission_rule', { scope: 'default', rate: '10', note: 'e2e command center' });
  await call(admin.request, 'activate_commission_rule', { id: String(rule), reason: 'End-to-end command center', password: ADMIN.password });
  await ensurePlatformBankAccount(admin, 'End-to-end command center');
  const shop = await shopWithListing(browser, admin, 'Zhao Lei', `Kiln ${word}`, `Bowl ${word}`, '30.00');
  const [buyer] = await newUser(browser, 'Sun Li', 'cc-buyer');
  await saveBuyerAddress(buyer);
  await buyAndPayByBankTransfer(buyer, admin, [shop.listing], '$35.00');

  // Today's work: every queue the admin may act on, each with a count and its pressure.
  await admin.goto('/console');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { level: 1, name: 'Command center' })).toBeVisible();
  const work = admin.getByTestId('todays-work');
  await expect(work.getByRole('heading', { name: "Today's work" })).toBeVisible();
  for (const q of ['seller_applications', 'listing_reviews', 'reports', 'payments', 'refunds', 'disputes', 'payouts', 'failed_deliveries', 'readiness_blockers']) {
    await expect(work.getByTestId(`queue-${q}-count`)).toHaveText(/^\d+$/);
  }
  await shots(admin, 'command-center');

  // Each link opens its queue with the filter set.
  const follows: [string, RegExp, string, string][] = [
    ['seller_applications', /\/console\/sellers\?status=submitted$/, 'filter-status', 'submitted'],
    ['reports', /\/console\/reports\?status=open$/, 'filter-status', 'open'],
    ['payments', /\/console\/payments\?status=proof_submitted$/, 'filter-status', 'proof_submitted'],
    ['refunds', /\/console\/refunds\?status=requested$/, 'filter-status', 'requested'],
    ['payouts', /\/console\/payouts\?status=requested$/, 'filter-status', 'requested'],
    ['failed_deliveries', /\/console\/delivery\?status=exhausted$/, 'filter-status', 'exhausted'],
  ];
  // Launch readiness's blockers lead to the readiness page.
  await admin.getByTestId('queue-readiness_blockers-link').click();
  await expect(admin).toHaveURL(/\/console\/readiness$/);
  await admin.goto('/console');
  await hydrated(admin);
  for (const [queue, url, select, value] of follows) {
    await admin.goto('/console');
    await hydrated(admin);
    await admin.getByTestId(`queue-${queue}-link`).click();
    await expect(admin).toHaveURL(url);
    await hydrated(admin);
    await expect(admin.locator(`#${select}`)).toHaveValue(value);
  }
  // The dispute queue shows the open ones by default (its empty status choice is "Open").
  await admin.goto('/console');
  await hydrated(admin);
  await admin.getByTestId('queue-disputes-link').click();
  await expect(admin).toHaveURL(/\/console\/disputes$/);
  await hydrated(admin);
  await expect(admin.locator('#filter-status option:checked')).toHaveText(/^Open/);
  await admin.goto('/console');
  await hydrated(admin);
  await admin.getByTestId('queue-listing_reviews-link').click();
  await expect(admin).toHaveURL(/\/console\/reviews$/);
  await expect(admin.getByRole('heading', { level: 1, name: 'Listing review' })).toBeVisible();

  // KPIs: the default is the last 7 days; the order just paid is in GMV and paid orders.
  await admin.goto('/console');
  await hydrated(admin);
  const kpis = admin.getByTestId('kpis');
  await expect(kpis.getByTestId('kpi-paid_orders')).not.toHaveText('0');
  await expect(kpis.getByTestId('kpi-gmv')).toHaveText(/^\$[\d,]+\.\d{2}$/);
  await expect(kpis.getByTestId('kpi-gmv-change')).toBeVisible();

  // Today, then a custom period of today alone: the period line names it and the previous day.
  const day = await today();
  await expect(admin).toHaveURL(/period=today/);
  await expect(admin.getByTestId('kpi-period')).toContainText(`${day} to ${day}`);
  await admin.getByTestId('kpi-filters').getByLabel('Period', { exact: true }).selectOption('custom');
  await admin.getByTestId('kpi-filters').getByLabel('From', { exact: true }).fill(day);
  await admin.getByTestId('kpi-filters').getByLabel('To', { exact: true }).fill(day);
  await admin.getByTestId('kpi-filters').getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(new RegExp(`period=custom&from=${day}&to=${day}`));
  await expect(admin.getByTestId('kpi-period')).toContainText(`${day} to ${day}, against`);
  await expect(admin.getByTestId('kpi-paid_orders')).not.toHaveText('0');

  // A custom period that ends before it starts: the message under the fields, no cards.
  await admin.getByTestId('kpi-filters').getByLabel('From', { exact: true }).fill(day);
  await admin.getByTestId('kpi-filters').getByLabel('To', { exact: true }).fill('2000-01-01');
  await admin.getByTestId('kpi-filters').getByRole('button', { name: 'Filter' }).click();
  await expect(admin.getByTestId('kpi-filters').getByTestId('filter-error')).toHaveText('The period ends before it starts.');
  await expect(admin.getByTestId('kpi-cards')).toHaveCount(0);

  // The trends: 30 days by default, 7 on the link; the last day's GMV is in the data table.
  await admin.goto('/console');
  await hydrated(admin);
  const gmv = admin.getByTestId('chart-gmv');
  await expect(gmv.locator('svg[role="img"]')).toHaveAttribute('aria-labelledby', 'chart-gmv-title chart-gmv-desc');
  await expect(gmv.locator('desc')).toContainText('30 days from');
  await expect(admin.getByTestId('chart-orders-table').locator('tbody tr')).toHaveCount(30);
  await admin.getByTestId('trend-7').click();
  await expect(admin).toHaveURL(/trend=7/);
  await expect(admin.getByTestId('trend-7')).toHaveAttribute('aria-current', 'page');
  await expect(admin.getByTestId('chart-orders-table').locator('tbody tr')).toHaveCount(7);
  await gmv.getByText('Show the data as a table').click();
  const last = admin.getByTestId('chart-gmv-table').locator('tbody tr').last();
  await expect(last.locator('td').first()).toHaveText(day);
  await expect(last.locator('td').last()).not.toHaveText('$0.00');
  await shots(admin, 'command-center-7d');
});
