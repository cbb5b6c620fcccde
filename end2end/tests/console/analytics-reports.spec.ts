// The reports (revenue, seller performance, operations SLA): open each from the console, filter by a
// period, and a bad period is named next to its field. (console/reports.spec.ts is trust & safety's.)
import * as fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { adminPage, hydrated, shots } from '../helpers';

test('an operator opens the revenue report, filters it by a custom period and sees the others', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Revenue report' }).click();
  await expect(admin.getByRole('heading', { name: 'Revenue report', level: 1 })).toBeVisible();
  await hydrated(admin);
  await expect(admin.getByTestId('revenue-totals')).toBeVisible();
  await expect(admin.getByTestId('revenue-gross')).toContainText('Gross');

  const filters = admin.getByTestId('report-filters');
  await filters.getByLabel('Period').selectOption('custom');
  await filters.getByLabel('From').fill('2026-01-01');
  await filters.getByLabel('To').fill('2026-01-31');
  await filters.getByRole('button').click();
  await expect(admin).toHaveURL(/period=custom&from=2026-01-01&to=2026-01-31/);
  await expect(admin.getByTestId('report-covered')).toContainText('From 2026-01-01 to 2026-01-31');
  await expect(admin.getByTestId('revenue-gross').getByTestId('current')).toHaveText('$0.00');
  // The export link carries the same query.
  await expect(admin.getByTestId('report-export')).toHaveAttribute('href', /dataset=orders&period=custom&from=2026-01-01&to=2026-01-31/);
  await shots(admin, 'console-report-revenue');
  // The report itself downloads as CSV, for the same period.
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('report-csv').click()]);
  expect(download.suggestedFilename()).toBe('agora-report-revenue-2026-01-31.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe('\ufeffsection,key,name_en,name_zh,orders,gross_minor,refunds_minor,net_minor,commission_minor,currency');
  expect(csv).toContain('\r\nperiod,2026-01-01..2026-01-31,2026-01-01..2026-01-31,,0,0,0,0,0,USD\r\n');

  // A period that ends before it starts is named next to the filters; nothing else is shown.
  await admin.goto('/console/analytics/revenue?period=custom&from=2026-02-10&to=2026-02-01');
  await expect(admin.getByTestId('filter-error')).toContainText(/before/i);

  await admin.goto('/console/analytics/sellers');
  await expect(admin.getByRole('heading', { name: 'Seller performance', level: 1 })).toBeVisible();
  await expect(admin.getByTestId('report-covered')).toBeVisible();
  await shots(admin, 'console-report-sellers');

  await admin.goto('/console/analytics/sla');
  await expect(admin.getByRole('heading', { name: 'Operations SLA', level: 1 })).toBeVisible();
  await expect(admin.getByTestId('sla-review')).toContainText('Review a listing');
  await shots(admin, 'console-report-sla');
});
