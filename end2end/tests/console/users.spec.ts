// The console's users directory: a ban with a category, a duration and a reason signs the user out,
// is explained to them at sign-in, and lands in the audit log; a wrong password on it is listed among
// the recent refusals;
// signing a user out everywhere ends every device's session without banning; a role change gives
// access, is notified, and a reviewer still cannot open the users page; an operator creates a user by
// invitation and resets a password, and the user chooses each password from the mailed link.
import { test, expect } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { PASSWORD, adminPage, hydrated, linkIn, openTab, openUser, shotAsIs, shots, signIn, signUp, uniqueEmail } from '../helpers';
import { waitForMail } from '../mail';

const NEW_PASSWORD = 'invited and chose this one';
const SECOND_PASSWORD = 'chosen again after a reset';

test('an operator bans a user for 7 days with a reason; the user is signed out and told why; the audit log shows it', async ({ browser }) => {
  const email = uniqueEmail('spammer');
  const user = await (await browser.newContext()).newPage();
  await signUp(user, 'Sam Spammer', email);
  await expect(user.getByTestId('account-link')).toHaveText('Sam Spammer');

  const admin = await adminPage(browser);
  await openUser(admin, email);
  const ban = admin.getByTestId('ban-form');
  // Without a category and a duration, or with a wrong password, nothing happens but an explanation.
  await ban.getByLabel('Reason category').selectOption('fraud');
  await ban.getByLabel('Duration').selectOption('7d');
  await ban.getByLabel('Your password, to confirm').fill('not my password');
  await ban.getByLabel('Reason (recorded in the audit log)').fill('Posting scam links in listings');
  await ban.getByRole('button', { name: 'Ban user' }).click();
  await expect(ban.getByTestId('error-password')).toBeVisible();
  await shots(admin, 'console-user-ban-form');
  // (Screenshots reload the page: the form is filled again.)
  await ban.getByLabel('Reason category').selectOption('fraud');
  await ban.getByLabel('Duration').selectOption('7d');
  await ban.getByLabel('Reason (recorded in the audit log)').fill('Posting scam links in listings');
  await ban.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await ban.getByRole('button', { name: 'Ban user' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('banned');
  await expect(admin.getByTestId('status-badge').first()).toHaveText('Banned');
  await expect(admin.getByTestId('ban-category')).toHaveText('Fraud or fake orders');
  await expect(admin.getByTestId('ban-ends')).toContainText('UTC');

  // The user's session ended at once; signing in, they are told why and until when.
  await user.reload();
  await expect(user.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await signIn(user, email, PASSWORD);
  await expect(user.getByTestId('form-error')).toContainText('suspended (Fraud or fake orders) until');
  await shotAsIs(user, 'signin-banned');

  // The wrong password on the ban is among the recent refusals of the directory.
  await admin.goto('/console/users');
  await hydrated(admin);
  const refusal = admin.getByTestId('refusals').getByTestId('refusal-row').filter({ hasText: 'protected.refused' }).first();
  await expect(refusal).toContainText('wrong password (/api/ban_user)');
  await shots(admin, 'console-users-refusals');

  // The audit log has the entry with its before/after.
  await admin.goto('/console/audit');
  await hydrated(admin);
  const row = admin.getByTestId('audit-table').getByRole('row').filter({ hasText: 'users.ban' }).first();
  await expect(row).toBeVisible();
  await row.getByRole('link').last().click();
  await expect(admin.getByTestId('entry-reason')).toHaveText('Posting scam links in listings');
  const diff = admin.getByTestId('audit-diff');
  await expect(diff).toContainText('status');
  await expect(diff).toContainText('active');
  await expect(diff).toContainText('banned');
});

test('an operator signs a user out on every device; the user can sign in again and is told', async ({ browser }) => {
  const email = uniqueEmail('shared');
  const phone = await (await browser.newContext()).newPage();
  await signUp(phone, 'Pat Shared', email);
  await expect(phone.getByTestId('account-link')).toHaveText('Pat Shared');
  const laptop = await (await browser.newContext()).newPage();
  await signIn(laptop, email, PASSWORD);
  await expect(laptop.getByTestId('account-link')).toHaveText('Pat Shared');

  const admin = await adminPage(browser);
  await openUser(admin, email);
  await openTab(admin, 'Sessions');
  await expect(admin.getByTestId('active-sessions')).toHaveText('2');
  await shots(admin, 'console-user-sign-out-everywhere');
  const form = admin.getByTestId('sessions-end-form');
  await form.getByLabel('Reason (recorded in the audit log)').fill('The user reported a lost phone');
  await form.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Every session of this user ended');
  await expect(admin.getByTestId('active-sessions')).toHaveText('0');
  await expect(admin.getByTestId('no-sessions')).toBeVisible();

  // Both devices are signed out; signing in again works (this is not a ban), and the notice is there.
  for (const device of [phone, laptop]) {
    await device.reload();
    await expect(device.getByRole('link', { name: 'Sign in' })).toBeVisible();
  }
  await signIn(phone, email, PASSWORD);
  await expect(phone.getByTestId('account-link')).toHaveText('Pat Shared');
  await expect(async () => {
    await phone.goto('/notifications');
    await expect(phone.getByTestId('notification-list')).toContainText('signed you out on every device', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});

test('a role change gives console access and is notified; a reviewer still cannot open users', async ({ browser }) => {
  const email = uniqueEmail('reviewer');
  const rex = await (await browser.newContext()).newPage();
  await signUp(rex, 'Rex Reviewer', email);
  await expect(rex.getByTestId('account-link')).toHaveText('Rex Reviewer');
  await rex.goto('/console');
  await expect(rex.getByTestId('forbidden')).toBeVisible();

  const admin = await adminPage(browser);
  await openUser(admin, email);
  await openTab(admin, 'Roles');
  const roles = admin.getByTestId('roles-form');
  await roles.getByLabel('Reviewer (trust & safety)').check();
  await roles.getByLabel('Reason (recorded in the audit log)').fill('Joins the trust and safety team');
  await roles.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Roles saved');

  await rex.goto('/console');
  await expect(rex.getByRole('heading', { name: 'Command center' })).toBeVisible();
  const nav = rex.getByRole('navigation', { name: 'Console sections' });
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await rex.goto('/console/users');
  await expect(rex.getByTestId('forbidden')).toBeVisible();

  // The in-app notification arrives through the outbox.
  await expect(async () => {
    await rex.goto('/notifications');
    await expect(rex.getByTestId('notification-list')).toContainText('reviewer', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await hydrated(rex);
  await expect(rex.getByTestId('unread-count')).toHaveText('1');
  await rex.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(rex.getByTestId('unread-count')).toHaveCount(0);
});

// The specs share one server: other specs create seller organisations, so the directory may hold
// rows. A name nobody has always shows the real empty state, never demo rows.
test('the organisations directory shows a real empty state', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Organisations' }).click();
  await expect(admin.getByRole('heading', { name: 'Organisations' })).toBeVisible();
  await admin.goto(`/console/organisations?q=${encodeURIComponent(`nobody-${Date.now()}`)}`);
  await expect(admin.getByTestId('empty-state')).toBeVisible();
  await expect(admin.getByTestId('org-row')).toHaveCount(0);
});

test('bootstrap is closed once a super admin exists', async ({ page }) => {
  await page.goto('/bootstrap');
  await expect(page.getByTestId('bootstrap-closed')).toBeVisible();
});

test('an operator creates a user by invitation and later resets their password; the user chooses each password from the mail', async ({ browser }) => {
  const email = uniqueEmail('invited');
  const admin = await adminPage(browser);
  await admin.goto('/console/users');
  await hydrated(admin);
  const panel = admin.getByTestId('create-user');
  await panel.getByText('Create a user').click();
  const form = admin.getByTestId('create-user-form');
  // An address without a domain (the browser lets it through) is explained next to the field and
  // creates nothing.
  await form.getByLabel('Email address').fill('ines@localhost');
  await form.getByLabel('Display name').fill('Ines Invited');
  await form.getByLabel('Language of the mails').selectOption('en');
  await form.getByLabel('Reason (recorded in the audit log)').fill('Wholesale buyer asked by phone');
  await form.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Create and send the invitation' }).click();
  await expect(form.getByTestId('error-email')).toBeVisible();
  await shotAsIs(admin, 'console-user-create');
  await form.getByLabel('Email address').fill(email);
  await form.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Create and send the invitation' }).click();
  await expect(admin).toHaveURL(/\/console\/users\/\d+$/);
  await expect(admin.getByTestId('user-email')).toHaveText(email);
  await expect(admin.getByTestId('password-state')).toHaveText('Not set yet: the mailed link is waiting');

  // The invited user sets a password with the link and is in.
  const user = await (await browser.newContext()).newPage();
  const invitation = await waitForMail({ to: email, subject: 'Your Agora account is ready: choose a password' });
  await user.goto(linkIn(invitation.text, '/reset-password'));
  await hydrated(user);
  await user.getByLabel('New password').fill(NEW_PASSWORD);
  await user.getByRole('button', { name: 'Set the new password' }).click();
  await expect(user.getByTestId('done')).toContainText('Your password is changed');
  await signIn(user, email, NEW_PASSWORD);
  await expect(user.getByTestId('account-link')).toHaveText('Ines Invited');

  // Later the operator resets it: the user is signed out, and the old password no longer works.
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByTestId('password-state')).toHaveText('Set by the user');
  const reset = admin.getByTestId('password-reset-form');
  await reset.getByLabel('Reason (recorded in the audit log)').fill('Owner lost access to their phone');
  await reset.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await reset.getByRole('button', { name: 'Reset the password' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('The password is reset');
  await expect(admin.getByTestId('password-state')).toHaveText('Not set yet: the mailed link is waiting');
  await shotAsIs(admin, 'console-user-password-reset');
  await user.reload();
  await expect(user.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await signIn(user, email, NEW_PASSWORD);
  await expect(user.getByTestId('error-password')).toContainText('not correct');

  const mail = await waitForMail({ to: email, subject: 'Your Agora password was reset: choose a new one' });
  await user.goto(linkIn(mail.text, '/reset-password'));
  await hydrated(user);
  await user.getByLabel('New password').fill(SECOND_PASSWORD);
  await user.getByRole('button', { name: 'Set the new password' }).click();
  await expect(user.getByTestId('done')).toContainText('Your password is changed');
  await signIn(user, email, SECOND_PASSWORD);
  await expect(user.getByTestId('account-link')).toHaveText('Ines Invited');
});

test('an operator tags a user and keeps a note; the directory filters by tag and sign-up date', async ({ browser }) => {
  const email = uniqueEmail('tagged');
  const user = await (await browser.newContext()).newPage();
  await signUp(user, 'Tara Tagged', email);
  const admin = await adminPage(browser);
  await openUser(admin, email);
  await expect(admin.getByTestId('sign-in-count')).toHaveText('1');
  await expect(admin.getByTestId('user-kind')).toHaveText('Buyer');
  // The sign-up day as the server's clock has it (UTC), for the date filter below.
  const joined = ((await admin.getByTestId('user-created').textContent()) ?? '').slice(0, 10);

  await openTab(admin, 'Tags and notes');
  const record = admin.getByTestId('record-form');
  // A tag of two words is explained next to the field; nothing is saved.
  await record.getByLabel('Tags').fill('vip, big spender');
  await record.getByLabel('Reason (recorded in the audit log)').fill('Sorting wholesale buyers');
  await record.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await record.getByRole('button', { name: 'Save' }).click();
  await expect(record.getByTestId('error-tags')).toContainText('one word');
  await record.getByLabel('Tags').fill('VIP, wholesale');
  await record.getByLabel('Internal note').fill('Buys by the pallet.\nCall before shipping.');
  await record.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await record.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Saved.');
  await expect(admin.getByTestId('user-tags').getByTestId('tag')).toHaveText(['vip', 'wholesale']);
  await expect(admin.getByTestId('user-note')).toHaveText('Buys by the pallet.\nCall before shipping.');
  // The form shows what was saved (normalised), and the reason and password are gone.
  await expect(record.getByLabel('Tags')).toHaveValue('vip, wholesale');
  await expect(record.getByLabel('Your password, to confirm')).toHaveValue('');
  await shotAsIs(admin, 'console-user-record');

  // The directory, filtered by the tag and today's sign-ups through its form, lists the user with tags.
  await admin.goto('/console/users');
  await hydrated(admin);
  const filters = admin.getByTestId('user-filters');
  await filters.getByLabel('Tag').fill('wholesale');
  await filters.getByLabel('Type').selectOption('buyer');
  await filters.getByLabel('Signed up from').fill(joined);
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(/tag=wholesale/);
  const row = admin.getByTestId('users-table').getByTestId('user-row').filter({ hasText: email });
  await expect(row.getByTestId('tag')).toHaveText(['vip', 'wholesale']);
  await shots(admin, 'console-users-by-tag');
  // A tag nobody has: the real empty state, not a demo row.
  await admin.goto('/console/users?tag=nobody-has-this');
  await hydrated(admin);
  await expect(admin.getByTestId('users-table')).toHaveCount(0);
});

test('an operator records a phone number, sees it masked, and reveals it with a reason on record', async ({ browser }) => {
  const email = uniqueEmail('phone');
  const user = await (await browser.newContext()).newPage();
  await signUp(user, 'Pia Phone', email);
  await expect(user.getByTestId('account-link')).toHaveText('Pia Phone');

  const admin = await adminPage(browser);
  await openUser(admin, email);
  await expect(admin.getByTestId('user-phone')).toHaveText('—');
  const form = admin.getByTestId('contact-form');
  // Without the country code the number is refused next to the field.
  await form.getByLabel('Phone', { exact: true }).fill('13800138000');
  await form.getByLabel('Reason (recorded in the audit log)').fill('The user gave it for delivery calls');
  await form.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Enter the number with its country code')).toBeVisible();
  await form.getByLabel('Phone', { exact: true }).fill('+86 138 0013 8000');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByTestId('user-phone')).toHaveText('+86•••••••8000');

  await admin.getByTestId('phone-reveal-toggle').click();
  await admin.getByLabel('Why you need it (recorded in the audit log)').fill('Calling back about a delivery');
  await admin.getByRole('button', { name: 'Show the whole number' }).click();
  await expect(admin.getByTestId('phone-revealed')).toHaveText('+8613800138000');
  await shotAsIs(admin, 'console-user-phone-revealed');
});

test('an operator ticks two users in the directory and bans both at once', async ({ browser }) => {
  const word = `batch${Date.now().toString(36)}`;
  for (const n of [1, 2]) {
    const page = await (await browser.newContext()).newPage();
    await signUp(page, `Bulk ${word} ${n}`, uniqueEmail(`${word}-${n}`));
    await expect(page.getByTestId('account-link')).toBeVisible();
  }
  const admin = await adminPage(browser);
  await admin.goto(`/console/users?q=${word}`);
  await hydrated(admin);
  await expect(admin.getByTestId('user-row')).toHaveCount(2);
  for (const box of await admin.getByRole('checkbox', { name: /^Select / }).all()) await box.check();
  await admin.getByText('Ban the selected users').click();
  const form = admin.getByTestId('batch-ban-form');
  await form.getByLabel('Reason category').selectOption('fraud');
  await form.getByLabel('Duration').selectOption('7d');
  await form.getByLabel('Reason (recorded in the audit log)').fill('A ring of fake accounts');
  await form.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await shotAsIs(admin, 'console-users-batch-ban-en');
  await form.getByRole('button', { name: 'Ban selected users' }).click();
  await expect(admin.getByTestId('batch-ban-done')).toHaveText('2 user(s) banned.');
  await expect(admin.getByTestId('user-row').getByTestId('status-badge')).toHaveText(['Banned', 'Banned']);
});
