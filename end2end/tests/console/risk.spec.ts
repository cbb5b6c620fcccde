// The risk desk: a tech operator lowers the failed sign-ins threshold in the settings centre (restored
// in `finally`: the specs share one server); three sign-ins fail on a real account; the scan runs (a
// test-only endpoint instead of its five-minute worker) and raises a signal. The admin finds it in the
// queue (filtered by rule), opens it, sees the evidence and the link to the user's page, takes it,
// acknowledges it with a note, adds a note, and resolves it — an empty note pointed out first, the
// state unchanged — and the timeline lists every step.
import { test, expect, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { PASSWORD, adminPage, advanceClock, hydrated, newUser, openTab, openUser, shots, signInAgain } from '../helpers';

async function confirm(scope: ReturnType<Page['getByTestId']>, reason: string, password = PASSWORD) {
  await scope.getByLabel('Reason (recorded in the audit log)').fill(reason);
  await scope.getByLabel('Your password, to confirm').fill(password);
}

/** Sets `risk_failed_sign_ins_per_hour` through the settings centre. */
async function setThreshold(tech: Page, value: string, reason: string) {
  await tech.goto('/console/settings');
  await hydrated(tech);
  const row = tech.locator('[data-testid="setting-row"][data-key="risk_failed_sign_ins_per_hour"]');
  await row.getByTestId('change-setting').click();
  await row.getByLabel('New value').fill(value);
  await confirm(row, reason);
  await row.getByRole('button', { name: 'Save setting' }).click();
  await expect(tech.getByTestId('action-done')).toContainText('The setting was changed');
  await expect(row.getByTestId('setting-value')).toContainText(value);
}

// The failed sign-ins here count against the IP every spec shares: an hour on, they no longer slow
// the next spec's sign-ins (the sign-in throttle forgets failures after an hour's quiet).
test.afterEach(async ({ request }) => {
  const moved = await request.post(`/__dev/clock/advance?ms=${60 * 60 * 1000}`);
  expect(moved.ok()).toBeTruthy();
});

test('a failed sign-in burst raises a risk signal, which is taken, acknowledged, noted and resolved', async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await adminPage(browser);
  const [tech, techEmail] = await newUser(browser, 'Rita Tech', 'risk-tech');
  const [target, targetEmail] = await newUser(browser, 'Sam Target', 'risk-target');
  await target.context().close();
  await openUser(admin, techEmail);
  await openTab(admin, 'Roles');
  const roles = admin.getByTestId('roles-form');
  await roles.getByLabel('Tech (system configuration)').check();
  await confirm(roles, 'Tunes the risk desk', ADMIN.password);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Roles saved');

  let lowered = false;
  try {
    await setThreshold(tech, '3', 'Catch a sign-in burst early');
    lowered = true;

    // Three wrong passwords on the target's account (sitting out the IP's slowdown if there is one).
    for (let i = 0; i < 3; i++) {
      await expect(async () => {
        const res = await admin.request.post('/api/sign_in', { form: { email: targetEmail, password: `wrong guess ${i}` } });
        if (res.status() === 429) {
          const body = await res.json();
          await advanceClock(admin, body.RateLimited.retry_after_s * 1000);
        }
        expect(res.status(), await res.text()).toBe(400);
      }).toPass({ timeout: 30_000 });
    }
    const scanned = await admin.request.post('/__dev/risk/scan');
    expect(scanned.ok(), await scanned.text()).toBeTruthy();
  } finally {
    // A fresh session: the clock may have moved, which signs everyone out.
    if (lowered) {
      const again = await (await browser.newContext()).newPage();
      await signInAgain(again, techEmail);
      await setThreshold(again, '20', 'Back to the usual threshold');
    }
  }

  // The queue, from the console's sidebar, filtered by rule. (The clock may have moved: sign in again.)
  const ops = await adminPage(browser);
  await ops.goto('/console');
  await hydrated(ops);
  await ops.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Risk desk', exact: true }).click();
  await expect(ops.getByRole('heading', { name: 'Risk desk' })).toBeVisible();
  await hydrated(ops);
  await ops.getByTestId('signal-filters').getByLabel('Rule').selectOption('failed_sign_ins');
  await ops.getByTestId('signal-filters').getByRole('button').click();
  await expect(ops).toHaveURL(/rule=failed_sign_ins/);
  const row = ops.getByTestId('signal-row').filter({ hasText: targetEmail });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Failed sign-in burst');
  await expect(row).toContainText('User');
  await expect(row.getByTestId('signal-evidence')).toContainText('Failed sign-ins in the last hour: 3');
  await expect(row.getByTestId('state')).toHaveText('Open');
  await expect(row).toContainText('Unowned');
  await shots(ops, 'console-risk');

  // A filter value the server refuses is pointed out in the filter bar.
  const queueUrl = ops.url();
  await ops.goto('/console/risk?state=nonsense');
  await expect(ops.getByTestId('filter-error')).toHaveText('Choose a value from the list.');
  await ops.goto(queueUrl);

  // The signal's page: evidence, and the action on the user's own page.
  await row.getByTestId('signal-link').click();
  await expect(ops.getByRole('heading', { name: /Signal #\d+ — Failed sign-in burst/ })).toBeVisible();
  await hydrated(ops);
  await expect(ops.getByTestId('signal-state')).toHaveText('Open');
  const evidence = ops.getByTestId('signal-evidence');
  await expect(evidence.locator('[data-key="failures_last_hour"]')).toContainText('3');
  await expect(evidence.locator('[data-key="threshold"]')).toContainText('3');
  const action = ops.getByTestId('signal-action');
  await expect(action).toHaveText('Ban or restrict the user');
  await expect(action).toHaveAttribute('href', /^\/console\/users\/\d+$/);
  await expect(ops.getByTestId('signal-subject')).toHaveText(targetEmail);
  await shots(ops, 'console-risk-signal-open');

  // Take it.
  await ops.getByTestId('take-button').click();
  await expect(ops.getByTestId('action-done')).toContainText('You own this signal now.');
  await expect(ops.getByTestId('signal-owner')).toContainText(ADMIN.email);
  await expect(ops.getByTestId('take-button')).toHaveCount(0);

  // Acknowledge with a note.
  const ack = ops.getByTestId('ack-form');
  await ack.getByLabel('Note (optional)').fill('Looks like someone guessing; watching the account.');
  await ack.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(ops.getByTestId('signal-state')).toHaveText('Acknowledged');
  await expect(ops.getByTestId('ack-form')).toHaveCount(0);

  // A note.
  const note = ops.getByTestId('note-form');
  await note.getByLabel('Note', { exact: true }).fill('Asked the user by email whether it was them.');
  await note.getByRole('button', { name: 'Add note' }).click();
  await expect(ops.getByTestId('action-done')).toContainText('Note added.');
  await expect(ops.getByTestId('signal-timeline')).toContainText('Asked the user by email');

  // Resolving without saying anything (blanks get past the browser, not the server): pointed out, no change.
  const resolve = ops.getByTestId('resolve-form');
  await resolve.getByLabel('What was found and done').fill('   ');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(resolve.getByTestId('error-note')).toBeVisible();
  await expect(resolve.getByLabel('What was found and done')).toHaveAttribute('aria-invalid', 'true');
  await expect(ops.getByTestId('signal-state')).toHaveText('Acknowledged');

  await resolve.getByLabel('What was found and done').fill('The user had forgotten their password; reset it. Nothing to act on.');
  await resolve.getByRole('button', { name: 'Resolve' }).click();
  await expect(ops.getByTestId('signal-state')).toHaveText('Resolved');
  await expect(ops.getByTestId('resolve-form')).toHaveCount(0);
  await expect(ops.getByTestId('take-button')).toHaveCount(0);
  const kinds = await ops.getByTestId('signal-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  for (const kind of ['raised', 'taken', 'acknowledged', 'note', 'resolved']) expect(kinds).toContain(kind);
  await expect(ops.getByTestId('signal-timeline')).toContainText('Raised');
  await expect(ops.getByTestId('signal-timeline')).toContainText('Resolved');
  await shots(ops, 'console-risk-signal');

  // The queue of resolved signals lists it.
  await ops.goto('/console/risk?state=resolved&rule=failed_sign_ins');
  await expect(ops.getByTestId('signal-row').filter({ hasText: targetEmail }).getByTestId('state')).toHaveText('Resolved');
});
