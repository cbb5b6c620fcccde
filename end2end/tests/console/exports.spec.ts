// Exports: from a report's export link the exports page opens filled in with the same period; the
// operator exports the orders (personal data: a reason and the password), the CSV downloads with its
// header, the export is listed under "My exports" and is in the audit log.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN } from '../../fixtures/accounts';
import { adminPage, hydrated, shots } from '../helpers';

test('an operator exports orders from a report and the export is in the audit log', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.goto('/console/analytics/revenue?period=7d');
  await hydrated(admin);
  await admin.getByTestId('report-export').click();
  await expect(admin.getByRole('heading', { name: 'Exports', level: 1 })).toBeVisible();
  await expect(admin).toHaveURL(/dataset=orders&period=7d/);
  await hydrated(admin);
  const form = admin.getByTestId('export-form');
  await expect(form.getByLabel('Dataset')).toHaveValue('orders');

  // Personal data without the confirmation comes back with the refusal next to the field.
  await form.getByTestId('export-submit').click();
  await expect(admin.getByTestId('error-reason')).toBeVisible();
  await expect(admin).toHaveURL(/field=reason/);

  // (Screenshots reload the page: taken before the password is typed.)
  await shots(admin, 'console-exports-form');
  await form.getByLabel('Dataset').selectOption('orders');
  await form.getByLabel('Reason (personal data)').fill('Monthly reconciliation with the bank');
  await form.getByLabel('Your password (personal data)').fill(ADMIN.password);
  const [download] = await Promise.all([admin.waitForEvent('download'), form.getByTestId('export-submit').click()]);
  expect(download.suggestedFilename()).toMatch(/^agora-orders-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(await download.failure()).toBeNull();
  const text = readFileSync(await download.path(), 'utf8');
  expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
    'id,number,created_at_utc,status,seller_id,seller_name,buyer_id,buyer_email,currency,items_minor,shipping_minor,total_minor,commission_minor,refunded_minor,paid_at_utc,shipped_at_utc,completed_at_utc,cancelled_at_utc,carrier,tracking_number,address',
  );

  // Listed under my exports, and on record.
  await admin.goto('/console/exports');
  await expect(admin.getByTestId('export-row').first()).toHaveAttribute('data-status', 'streamed');
  await shots(admin, 'console-exports');
  await admin.goto('/console/audit?action=exports.create');
  await expect(admin.getByTestId('audit-table')).toContainText('exports.create');
});
