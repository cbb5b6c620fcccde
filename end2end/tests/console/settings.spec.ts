// The settings centre: a tech operator changes a runtime setting (a wrong value first, pointed out next
// to the field), rolls the version back, and turns read-only maintenance on; a buyer sees the
// announcement on every page and a change of theirs is refused with it; the operator turns it off.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { PASSWORD, adminPage, hydrated, newUser, openTab, openUser, shotAsIs, shots } from '../helpers';

async function confirm(scope: ReturnType<Page['getByTestId']>, reason: string, password = PASSWORD) {
  await scope.getByLabel('Reason (recorded in the audit log)').fill(reason);
  await scope.getByLabel('Your password, to confirm').fill(password);
}

async function setMaintenance(tech: Page, mode: string, allow: string, message: string) {
  const form = tech.getByTestId('maintenance-form');
  await form.getByLabel('Mode').selectOption({ label: mode });
  await form.getByLabel('Allowed operators').fill(allow);
  await form.getByLabel('Announcement').fill(message);
  await confirm(form, `maintenance ${mode.toLowerCase()}`);
  await form.getByRole('button', { name: 'Apply maintenance settings' }).click();
  await expect(tech.getByTestId('action-done')).toContainText('Maintenance settings applied');
}

async function flagForm(tech: Page, name: string) {
  const row = tech.locator(`[data-testid="flag-row"][data-flag="${name}"]`);
  if (!(await row.locator('details').evaluate((d: HTMLDetailsElement) => d.open))) {
    await row.getByTestId('change-flag').click();
  }
  return [row, tech.getByTestId(`flag-form-${name}`)] as const;
}

async function saveFlagState(tech: Page, name: string, state: 'On' | 'Off') {
  const [row, form] = await flagForm(tech, name);
  await form.getByLabel('State').selectOption({ label: state });
  await form.getByLabel('Percentage of users').fill('100');
  await confirm(form, `${name} ${state.toLowerCase()}`);
  await form.getByRole('button', { name: 'Save flag' }).click();
  await expect(tech.getByTestId('action-done')).toContainText('The flag was changed');
  await expect(row.getByTestId('flag-state')).toContainText(state);
}

test('a tech operator changes a setting, rolls it back, and runs read-only maintenance', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await adminPage(browser);
  const [tech, techEmail] = await newUser(browser, 'Tess Tech', 'tech');
  await openUser(admin, techEmail);
  await openTab(admin, 'Roles');
  const roles = admin.getByTestId('roles-form');
  await roles.getByLabel('Tech (system configuration)').check();
  await confirm(roles, 'Runs the platform', ADMIN.password);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Roles saved');

  // The settings centre, from the console's sidebar.
  await tech.goto('/console');
  await hydrated(tech);
  await tech.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(tech.getByRole('heading', { name: 'Orders and timers' })).toBeVisible();
  await hydrated(tech);
  const row = tech.locator('[data-testid="setting-row"][data-key="review_sla_hours"]');
  await expect(row.getByTestId('setting-value')).toContainText('24 hours');
  await expect(row.getByTestId('setting-source')).toHaveText('Configured');

  // A value out of bounds is stopped by the field itself; the value in force already, by the server,
  // next to the field. Nothing changes.
  await row.getByTestId('change-setting').click();
  await row.getByLabel('New value').fill('0');
  await confirm(row, 'Reviews take longer over the holidays');
  expect(await row.getByLabel('New value').evaluate((e: HTMLInputElement) => e.checkValidity())).toBe(false);
  await row.getByLabel('New value').fill('24');
  await row.getByRole('button', { name: 'Save setting' }).click();
  await expect(row.getByTestId('error-value')).toHaveText('This is the value in force already.');
  await shotAsIs(tech, 'console-settings-error');
  await row.getByLabel('New value').fill('36');
  await row.getByRole('button', { name: 'Save setting' }).click();
  await expect(tech.getByTestId('action-done')).toContainText('The setting was changed');
  await expect(row.getByTestId('setting-value')).toContainText('36 hours');
  await expect(row.getByTestId('setting-source')).toHaveText('Changed here');
  await shots(tech, 'console-settings');

  // The version, rolled back.
  await tech.getByTestId('versions-link').click();
  const version = tech.getByTestId('version-row').first();
  await expect(version.getByTestId('version-change')).toContainText('Listing review target: the configured value → 36 hours');
  await expect(version).toContainText('Reviews take longer over the holidays');
  await hydrated(tech);
  await version.getByTestId('rollback-link').click();
  const rollback = tech.getByTestId('rollback-form');
  await confirm(rollback, 'The holidays are over');
  await rollback.getByRole('button', { name: 'Roll back' }).click();
  await expect(tech.getByTestId('action-done')).toContainText('Rolled back');
  await expect(tech.getByTestId('version-row').first()).toContainText('rolls back');
  await shots(tech, 'console-settings-versions');
  await tech.goto('/console/settings');
  await expect(row.getByTestId('setting-value')).toContainText('24 hours');
  await expect(row.getByTestId('setting-source')).toHaveText('Configured');

  // A feature flag: public sign-up paused (a percentage of 101 pointed out first), then open again.
  await hydrated(tech);
  try {
    const [, form] = await flagForm(tech, 'public_signup');
    await form.getByLabel('State').selectOption({ label: 'Off' });
    await form.getByLabel('Percentage of users').fill('101');
    await confirm(form, 'Pause sign-ups during the migration');
    await form.getByRole('button', { name: 'Save flag' }).click();
    await expect(form.getByTestId('error-percent')).toHaveText('Enter a percentage from 0 to 100.');
    await saveFlagState(tech, 'public_signup', 'Off');
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto('/signup');
    await expect(visitor.getByTestId('signup-paused')).toHaveText('New accounts are paused for now. Please come back later.');
    await visitor.close();
  } finally {
    await tech.goto('/console/settings');
    await hydrated(tech);
    await saveFlagState(tech, 'public_signup', 'On');
  }

  // Read-only maintenance with the operator on its allow list. Whatever happens next, it ends.
  await hydrated(tech);
  try {
    await setMaintenance(tech, 'Read-only', techEmail, 'Upgrading the database; back by noon.');
    await expect(tech.getByTestId('maintenance-mode')).toHaveText('Read-only');
    // Every page loaded from now on carries the announcement.
    await tech.reload();
    await expect(tech.getByTestId('maintenance-banner')).toContainText('Agora is read-only');

    const buyer = await (await browser.newContext()).newPage();
    await buyer.goto('/');
    await expect(buyer.getByTestId('maintenance-banner')).toContainText('Maintenance: Agora is read-only');
    await expect(buyer.getByTestId('maintenance-message')).toHaveText('Upgrading the database; back by noon.');
    await shots(buyer, 'storefront-maintenance');
    const [shopper] = await newUser(browser, 'Mia Buyer', 'maintenance-buyer');
    const refused = await shopper.request.post('/api/save_address', {
      form: { recipient: 'Mia', phone: '+86 138 0000 0000', line1: '1 Road', city: 'Beijing', country: 'CN' },
    });
    expect(refused.status()).toBe(503);
    expect(await refused.text()).toContain('Upgrading the database; back by noon.');
  } finally {
    await tech.goto('/console/settings');
    await hydrated(tech);
    await setMaintenance(tech, 'Off', '', '');
  }
  await expect(tech.getByTestId('maintenance-mode')).toHaveText('Off');
  await tech.reload();
  await expect(tech.getByTestId('maintenance-banner')).toHaveCount(0);
});
