// The seller center's webhooks (/seller/webhooks): an active seller's owner adds an endpoint that points
// at a real receiver (fixtures/webhook-receiver.mjs on 127.0.0.1), sees its signing secret once, sends
// a test event, finds it in the endpoint's attempts log as delivered, and the receiver verified its
// signature with the npm `standardwebhooks` library; then the owner rotates the secret, sees the new
// one once, and during the overlap the next message is signed with both secrets.
import { test, expect, type Page } from '@playwright/test';
import { activeSeller, hydrated, shots } from '../helpers';
import { Receiver, snap } from '../webhooks';

let rx: Receiver;

test.beforeAll(async () => {
  rx = await Receiver.start();
});

test.afterAll(async () => {
  rx?.stop();
});

const SECRET = /^whsec_[A-Za-z0-9+/]+=*$/;

/** The secret shown once (after adding or rotating); dismisses it and proves it is not shown again. */
async function takeSecretOnce(page: Page): Promise<string> {
  const box = page.getByRole('status').filter({ has: page.getByTestId('webhook-secret') });
  await expect(box).toContainText('Copy it now: it is not shown again.');
  const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
  expect(secret).toMatch(SECRET);
  await box.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
  // Not on the page once it is loaded again either.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('webhook-endpoint')).toHaveCount(1);
  await expect(page.getByTestId('webhook-secret')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(secret);
  return secret;
}

/** Opens the endpoint's attempts log, loading the page again until a delivered attempt of `event` is there. */
async function expectDeliveredAttempt(page: Page, event: string, count: number) {
  await expect(async () => {
    await page.reload();
    await hydrated(page);
    const card = page.getByTestId('webhook-endpoint');
    await card.getByRole('button', { name: 'Attempts log' }).click();
    const rows = card.getByTestId('attempt-row');
    await expect(rows).toHaveCount(count, { timeout: 2_000 });
    // Newest first.
    await expect(rows.first()).toHaveAttribute('data-outcome', 'delivered');
    await expect(rows.first()).toContainText(event);
    await expect(rows.first().getByTestId('attempt-status')).toHaveText('200 · delivered');
  }).toPass({ timeout: 30_000 });
}

test('a seller adds an endpoint, sends a signed test event and rotates the secret', async ({ browser }) => {
  const word = `hooks${Date.now().toString(36)}`;
  const page = await activeSeller(browser, `Hook Tea ${word}`);
  const target = `/ok/${word}`;

  // From the seller center to its webhooks page: nothing yet.
  await page.goto('/seller');
  await hydrated(page);
  await page.getByTestId('seller-webhooks-link').click();
  await expect(page).toHaveURL(/\/seller\/webhooks$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  await expect(page.getByTestId('webhooks-empty')).toHaveText('No endpoints yet.');

  // Add an endpoint for paid orders (test events come whatever the filter).
  const form = page.getByTestId('webhook-form');
  await form.getByLabel('Endpoint URL').fill(rx.url(target));
  await form.getByLabel('Description (optional)').fill('Order system');
  await form.getByLabel('orders.paid', { exact: true }).check();
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('Endpoint added.');
  await expect(page.getByTestId('webhook-secret')).toHaveText(SECRET);
  const card = page.getByTestId('webhook-endpoint');
  await expect(card.getByTestId('endpoint-url')).toHaveText(rx.url(target));
  await expect(card.getByTestId('endpoint-status')).toHaveText('Active');
  await expect(card).toContainText('Events: orders.paid');
  await snap(page, 'seller-webhooks-secret');
  const secret = await takeSecretOnce(page);
  await rx.secrets([secret]);

  // A test event: queued, delivered by the outbox worker, in the log as 200, verified by the receiver.
  await card.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('Test event queued.');
  const [first] = await rx.waitFor(target);
  expect(first.verified).toEqual([true]);
  expect(first.id).toMatch(/^msg_\d+$/);
  const body = JSON.parse(first.body);
  expect(body.type).toBe('webhook.test');
  expect(body.data.message).toBe('This is a test event from Agora.');
  await expectDeliveredAttempt(page, 'webhook.test', 1);
  await snap(page, 'seller-webhooks-attempts');

  // Rotate: a new secret, shown once; the old one keeps signing for a while.
  await card.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('New secret made; the previous one keeps signing for 24 hours.');
  await expect(page.getByTestId('webhook-secret')).toHaveText(SECRET);
  await expect(page.getByTestId('webhook-secret')).not.toHaveText(secret);
  await expect(card.getByTestId('rotation-until')).toBeVisible();
  const rotated = await takeSecretOnce(page);
  expect(rotated).not.toBe(secret);
  await shots(page, 'seller-webhooks');

  // During the overlap a message is signed with both: the receiver verifies it with either secret.
  await rx.secrets([secret, rotated]);
  await card.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.getByTestId('action-done')).toHaveText('Test event queued.');
  const both = await rx.waitFor(target, 2);
  expect(both[1].verified).toEqual([true, true]);
  expect(both[1].id).not.toBe(first.id);
  await expectDeliveredAttempt(page, 'webhook.test', 2);

  await page.context().close();
});
