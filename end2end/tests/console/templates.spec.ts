// The template editor: an operator edits the Chinese "password changed" mail — a template with an
// unknown variable is refused next to its field, a good one is saved as a new version — and the next
// such mail to a Chinese-speaking user carries the new text. Then the old version is restored.
import { expect, test } from '@playwright/test';
import { adminPage, call, hydrated, PASSWORD, shots, signUp, uniqueEmail } from '../helpers';
import { waitForMail } from '../mail';

test('a zh template with a bad variable is refused, a good one is used by the next mail', async ({ browser, page }) => {
  const admin = await adminPage(browser);
  await admin.goto('/console/templates?event=account.password_changed');
  await hydrated(admin);
  await expect(admin.getByTestId('coverage-complete')).toBeVisible();
  await admin.locator('[data-testid="template-row"][data-locale="zh"]').getByRole('link').click();
  await hydrated(admin);
  await expect(admin.getByTestId('template-event')).toHaveText('account.password_changed');

  // An unknown variable: refused next to the body, nothing saved.
  await admin.getByLabel('Plain-text body').fill('你的密码已修改：{{nope}}');
  await admin.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(admin.getByTestId('error-body_text')).toBeVisible();
  await expect(admin.getByTestId('template-version')).toHaveCount(1);

  // A good one: preview, then save as version 2.
  const subject = `密码已更新 ${Date.now()}`;
  await admin.getByLabel('Subject').fill(subject);
  await admin.getByLabel('Plain-text body').fill('你的密码刚刚修改。如非本人操作，请立即重置密码。');
  await admin.getByLabel('HTML body').fill('<p>你的密码刚刚修改。</p><p>如非本人操作，请立即重置密码。</p>');
  await admin.getByTestId('preview-button').click();
  await expect(admin.getByTestId('preview-subject')).toHaveText(subject);
  await admin.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('the next mail uses this version');
  await expect(admin.getByTestId('template-version')).toHaveCount(2);
  await shots(admin, 'template-editor');

  // A user who reads Agora in Chinese changes their password: the mail is the new version.
  const email = uniqueEmail('zh-reader');
  await signUp(page, 'Lin', email);
  await expect(page).not.toHaveURL(/\/signup/);
  await call(page.request, 'set_language', { lang: 'zh' });
  await call(page.request, 'change_password', { current_password: PASSWORD, new_password: 'another quiet harbour' });
  const mail = await waitForMail({ to: email, subject });
  expect(mail.text).toContain('你的密码刚刚修改');

  // Restoring version 1 makes it the newest version again.
  await admin.getByTestId('restore-button').last().click();
  await expect(admin.getByTestId('template-version')).toHaveCount(3);
  await expect(admin.getByLabel('Subject')).toHaveValue('你的密码已修改');
});

test('the template list shows every event in both languages', async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.goto('/console/templates');
  await hydrated(admin);
  await expect(admin.getByTestId('template-row').first()).toBeVisible();
  await expect(admin.locator('[data-testid="template-row"][data-locale="zh"]').first()).toBeVisible();
  await shots(admin, 'templates');
});
