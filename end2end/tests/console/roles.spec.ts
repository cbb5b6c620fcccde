// Roles as data: a super admin makes a "catalog assistant" role from the catalog, gives it to a new
// colleague, who then sees only its pages in the console; taking a permission away closes its page at
// the colleague's next request.
import { test, expect } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { adminPage, hydrated, newUser, openTab, openUser, shots } from '../helpers';

test('a custom catalog assistant role sees only its pages, and a grant taken away closes one', async ({ browser }) => {
  test.setTimeout(180_000);
  const name = `catalog_${Date.now().toString(36)}`;
  const admin = await adminPage(browser);

  // The role editor lists the built-in roles; a custom one is made from the catalog.
  await admin.goto('/console/roles');
  await hydrated(admin);
  await expect(admin.getByTestId('role-row').filter({ hasText: 'Super admin' })).toContainText('Built-in');
  const create = admin.getByTestId('create-role-form');
  await create.getByLabel('Role name').fill(name);
  await create.getByLabel('Description').fill('Reviews listings and keeps the category tree');
  await create.getByRole('checkbox', { name: /listings\.view/ }).check();
  await create.getByRole('checkbox', { name: /listings\.review/ }).check();
  await create.getByRole('checkbox', { name: /categories\.manage/ }).check();
  await expect(create.getByRole('checkbox', { name: /roles\.manage/ })).toBeDisabled();
  await create.getByLabel('Reason (recorded in the audit log)').fill('The catalog team gets its own role');
  await create.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await create.getByRole('button', { name: 'Create role' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Role created');
  const row = admin.locator(`[data-testid="role-row"][data-role="${name}"]`);
  await expect(row.getByTestId('role-grants')).toHaveText('4 / 47');
  await expect(row.getByTestId('role-holders')).toHaveText('0');
  await shots(admin, 'console-roles');

  // A new colleague gets it on their user page.
  const [colleague, email] = await newUser(browser, 'Cat Assistant', 'catalog-assistant');
  await openUser(admin, email);
  await openTab(admin, 'Roles');
  const roles = admin.getByTestId('roles-form');
  await roles.getByLabel(name).check();
  await roles.getByLabel('Reason (recorded in the audit log)').fill('Joins the catalog team');
  await roles.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Roles saved');

  // The console opens with the role's pages only.
  await colleague.goto('/console');
  await hydrated(colleague);
  const nav = colleague.getByRole('navigation', { name: 'Console sections' });
  await expect(nav.getByRole('link', { name: 'Listing review' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Categories' })).toBeVisible();
  for (const hidden of ['Users', 'Orders', 'Payouts', 'Roles & permissions', 'Audit log']) {
    await expect(nav.getByRole('link', { name: hidden, exact: true })).toHaveCount(0);
  }
  await colleague.goto('/console/users');
  await expect(colleague.getByTestId('forbidden')).toBeVisible();
  await colleague.goto('/console/categories');
  await expect(colleague.getByTestId('forbidden')).toHaveCount(0);

  // The super admin takes the category tree away: the page closes at the colleague's next request.
  await admin.goto('/console/roles');
  await hydrated(admin);
  await row.getByRole('link', { name }).click();
  await expect(admin.getByTestId('role-name')).toHaveText(name);
  await hydrated(admin);
  const grants = admin.getByTestId('grants-form');
  await expect(grants.getByRole('checkbox', { name: /categories\.manage/ })).toBeChecked();
  await grants.getByRole('checkbox', { name: /categories\.manage/ }).uncheck();
  await grants.getByLabel('Reason (recorded in the audit log)').fill('Categories move to operations');
  await grants.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await grants.getByRole('button', { name: 'Save permissions' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Permissions saved');
  await expect(grants.getByRole('checkbox', { name: /categories\.manage/ })).not.toBeChecked();
  await shots(admin, 'console-role');
  await colleague.goto('/console/categories');
  await expect(colleague.getByTestId('forbidden')).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Categories' })).toHaveCount(0);
  await colleague.goto('/console/reviews');
  await expect(colleague.getByTestId('forbidden')).toHaveCount(0);

  // Super admins keep everything: their role shows the catalog, not a form.
  await admin.goto('/console/roles');
  await admin.getByTestId('role-row').filter({ hasText: 'Super admin' }).getByRole('link').click();
  await expect(admin.getByTestId('super-admin-fixed')).toBeVisible();
  await expect(admin.getByTestId('grants-form')).toHaveCount(0);
});
