// The delivery desk (/console/delivery) with a platform webhook (/console/webhooks): the admin adds an
// endpoint whose receiver (fixtures/webhook-receiver.mjs on 127.0.0.1) answers 410 Gone, so a test event
// fails at once and the endpoint is disabled; on the desk the admin filters failed webhooks, opens the
// message and its attempts; then points the endpoint at a receiver path that answers 200, enables it,
// and sends the message again from the desk (a reason and the password); it is delivered, with the same
// webhook-id, and the replay is audited.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { adminPage, call, expectAudited, hydrated, shots } from '../helpers';
import { Receiver, snap } from '../webhooks';

let rx: Receiver;
let admin: Page;
let endpointId: string | null = null;

test.beforeAll(async ({ browser }) => {
  rx = await Receiver.start();
  admin = await adminPage(browser);
});

test.afterAll(async () => {
  // The endpoint would otherwise get the rest of the run's platform events after the receiver is gone.
  if (endpointId) await call(admin.request, 'console_delete_webhook_endpoint', { id: endpointId });
  await admin?.context().close();
  rx?.stop();
});

test('a failed webhook is found on the delivery desk and sent again once the endpoint is fixed', async () => {
  const word = `desk${Date.now().toString(36)}`;
  const gone = `/410/${word}`;
  const ok = `/ok/${word}`;

  // The platform's endpoint, for disputes (test events come whatever the filter).
  await admin.goto('/console/webhooks');
  await hydrated(admin);
  await expect(admin.getByRole('heading', { level: 1, name: 'Platform webhooks' })).toBeVisible();
  const add = admin.getByRole('region', { name: 'Add an endpoint' });
  await add.getByLabel('Endpoint URL').fill(rx.url(gone));
  await add.getByLabel('Description (optional)').fill(`Ops ${word}`);
  await add.getByLabel('disputes.opened', { exact: true }).check();
  await add.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Endpoint added.');
  const secret = (await admin.getByTestId('webhook-secret').textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await rx.secrets([secret]);
  const card = admin.getByTestId('webhook-endpoint').filter({ hasText: `Ops ${word}` });
  await expect(card.getByTestId('endpoint-status')).toHaveText('Active');
  endpointId = await card.getAttribute('data-endpoint-id');
  expect(endpointId).toMatch(/^\d+$/);

  // The test event: the receiver answers 410 Gone, so the message fails at once, the endpoint is off.
  await card.getByRole('button', { name: 'Send test event' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Test event queued.');
  const [refused] = await rx.waitFor(gone);
  expect(refused.verified).toEqual([true]);
  await expect(async () => {
    await admin.reload();
    await hydrated(admin);
    await expect(card.getByTestId('endpoint-status')).toHaveText('Disabled: the receiver answered 410 Gone', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  // The delivery desk: webhooks that failed.
  await admin.goto('/console/delivery');
  await hydrated(admin);
  const filters = admin.getByTestId('delivery-filters');
  await filters.getByLabel('Channel').selectOption('webhook');
  await filters.getByLabel('State').selectOption('failed');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(admin).toHaveURL(/[?&]channel=webhook/);
  await expect(admin).toHaveURL(/[?&]status=failed/);
  const row = admin.getByTestId('delivery-row').filter({ hasText: rx.url(gone) });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('delivery-status')).toHaveText('Failed');
  await expect(row).toContainText('410 Gone');
  const messageId = (await row.getAttribute('data-id'))!;
  expect(refused.id).toBe(`msg_${messageId}`);
  await shots(admin, 'console-delivery-failed');

  // The message: failed after one attempt, which the receiver answered 410.
  await row.getByRole('link', { name: 'webhook.test' }).click();
  await expect(admin).toHaveURL(new RegExp(`/console/delivery/${messageId}$`));
  await hydrated(admin);
  await expect(admin.getByTestId('delivery-event')).toHaveText('webhook.test');
  await expect(admin.getByTestId('delivery-status')).toHaveText('Failed');
  await expect(admin.getByTestId('delivery-last-error')).toContainText('410 Gone');
  const attempts = admin.getByTestId('attempt-row');
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toHaveAttribute('data-outcome', 'failed');
  await expect(attempts.first()).toContainText('410');
  await expect(admin.getByTestId('delivery-payload')).toContainText('This is a test event from Agora.');
  await shots(admin, 'console-delivery-message');

  // Sent again, the message would go to the same endpoint: the admin points it at a receiver that
  // takes it and turns it back on.
  await admin.goto('/console/webhooks');
  await hydrated(admin);
  await card.getByRole('button', { name: 'Edit' }).click();
  const edit = card.getByTestId('webhook-form');
  await edit.getByLabel('Endpoint URL').fill(rx.url(ok));
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Endpoint saved.');
  await expect(card.getByTestId('endpoint-url')).toHaveText(rx.url(ok));
  await card.getByRole('button', { name: 'Enable' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('Endpoint enabled.');
  await expect(card.getByTestId('endpoint-status')).toHaveText('Active');

  // Send it again from the desk: a reason and the password, a wrong one first.
  await admin.goto(`/console/delivery/${messageId}`);
  await hydrated(admin);
  const replay = admin.getByTestId('replay-form');
  await replay.getByLabel('Reason').fill('The receiver is back; resend the test event');
  await replay.getByLabel('Password').fill('not my password');
  await replay.getByRole('button', { name: 'Send again' }).click();
  await expect(replay.getByTestId('error-password')).toBeVisible();
  await expect(admin.getByTestId('delivery-status')).toHaveText('Failed');
  await snap(admin, 'console-delivery-replay-wrong-password');
  await replay.getByLabel('Password').fill(ADMIN.password);
  await replay.getByRole('button', { name: 'Send again' }).click();
  await expect(admin.getByTestId('action-done')).toHaveText('The message is queued again.');

  // Delivered, with the same webhook-id, signed with the endpoint's secret.
  const [taken] = await rx.waitFor(ok);
  expect(taken.id).toBe(refused.id);
  expect(taken.verified).toEqual([true]);
  await expect(async () => {
    await admin.reload();
    await hydrated(admin);
    await expect(admin.getByTestId('delivery-status')).toHaveText('Delivered', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(attempts).toHaveCount(2);
  const delivered = attempts.and(admin.locator('[data-outcome="delivered"]'));
  await expect(delivered).toHaveCount(1);
  await expect(delivered).toContainText('200');
  await expect(admin.getByTestId('replay-form')).toHaveCount(0);
  await shots(admin, 'console-delivery-delivered');

  await expectAudited(admin, 'delivery.replay', messageId);
});
