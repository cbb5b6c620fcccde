// The audit log: filter it, verify its chain, and export what the filter shows (the export is audited).
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { adminPage, hydrated } from '../helpers';

test('an operator filters the audit log, verifies the chain and exports CSV', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(admin.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await hydrated(admin);

  // The bootstrap admin's creation is the first entry; filter on its category.
  const filters = admin.getByTestId('audit-filters');
  await filters.getByLabel('Action', { exact: true }).fill('roles.');
  await filters.getByLabel('Action', { exact: true }).press('Enter');
  await expect(admin).toHaveURL(/action=roles\./);
  await expect(admin.getByTestId('audit-table')).toContainText('roles.bootstrap_super_admin');

  await admin.getByRole('button', { name: 'Verify chain' }).click();
  await expect(admin.getByTestId('chain-status')).toContainText('Chain intact');

  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^agora-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(await download.failure()).toBeNull();
  expect(readFileSync(await download.path(), 'utf8')).toContain('roles.bootstrap_super_admin');

  // The export itself is now in the log.
  await admin.goto('/console/audit?action=audit.export');
  await expect(admin.getByTestId('audit-table')).toContainText('audit.export');
});
