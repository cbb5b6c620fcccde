// Alerts and incidents: a tech operator makes a rule on failed sign-ins (a window of 0 minutes is pointed
// out next to its field first, and no rule is added); a sign-in fails; the clock moves a minute on so the
// evaluation job is due, and the timer worker opens an incident, which the command center lists. The
// operator acknowledges it with a note, adds a note and resolves it: the badge and the timeline follow,
// and the command center no longer lists it. Then the rule is silenced, the silence ended, and the rule
// turned off — in `finally` too, whatever happened: the specs share one server, and a rule left on would
// keep firing for the later ones.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN } from '../../fixtures/accounts';
import { adminPage, advanceClock, hydrated, newUser, openTab, openUser, shotAsIs, shots, uniqueEmail } from '../helpers';

/** A sign-in that fails (an unknown account), sitting out the shared IP's slowdown if there is one. */
async function failSignIn(request: APIRequestContext, page: Page) {
  await expect(async () => {
    const res = await request.post('/api/sign_in', { form: { email: uniqueEmail('nobody'), password: 'a wrong guess' } });
    if (res.status() === 429) {
      const body = await res.json();
      await advanceClock(page, body.RateLimited.retry_after_s * 1000);
    }
    expect(res.status(), await res.text()).toBe(400);
  }).toPass({ timeout: 30_000 });
}

// The failed sign-ins here count against the IP every spec shares: an hour on, they no longer slow
// the next spec's sign-ins (the sign-in throttle forgets failures after an hour's quiet).
test.afterEach(async ({ request }) => {
  const moved = await request.post(`/__dev/clock/advance?ms=${60 * 60 * 1000}`);
  expect(moved.ok()).toBeTruthy();
});

test('a rule on failed sign-ins opens an incident, which is acknowledged, noted and resolved', async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await adminPage(browser);
  const [tech, techEmail] = await newUser(browser, 'Tao Tech', 'alerts-tech');
  await openUser(admin, techEmail);
  await openTab(admin, 'Roles');
  const roles = admin.getByTestId('roles-form');
  await roles.getByLabel('Tech (system configuration)').check();
  await roles.getByLabel('Reason (recorded in the audit log)').fill('Looks after the alerts');
  await roles.getByLabel('Your password, to confirm').fill(ADMIN.password);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(admin.getByTestId('action-done')).toContainText('Roles saved');
  await admin.context().close();

  // The rules page, from the console's sidebar.
  await tech.goto('/console');
  await hydrated(tech);
  await tech.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Alert rules', exact: true }).click();
  await expect(tech.getByRole('heading', { name: 'New rule' })).toBeVisible();
  await hydrated(tech);

  const name = `Sign-in burst ${Date.now()}`;
  const rows = tech.getByTestId('rule-row').filter({ hasText: name });
  let ruleId: string | null = null;
  try {
    // A window of 0 minutes: the server names the field; nothing is added.
    const form = tech.getByTestId('rule-form');
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('What to watch').selectOption('failed_sign_ins');
    await expect(form.getByTestId('metric-hint')).toBeVisible();
    await form.getByLabel('Threshold').fill('0');
    await form.getByLabel('Window (minutes)').fill('0');
    await form.getByLabel('Severity').selectOption('critical');
    await form.getByLabel('Operators (in the app and by email)').check();
    await form.getByRole('button', { name: 'Create rule' }).click();
    await expect(form.getByTestId('error-window_minutes')).toHaveText('The window is 1 to 1440 minutes.');
    await expect(form.getByLabel('Window (minutes)')).toHaveAttribute('aria-invalid', 'true');
    await shotAsIs(tech, 'console-alerts-error');
    await expect(rows).toHaveCount(0);

    // Corrected, the rule is created and on.
    await form.getByLabel('Window (minutes)').fill('60');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The rule was created. It is checked every minute.');
    await expect(rows).toHaveCount(1);
    ruleId = await rows.getAttribute('data-id');
    await expect(rows.getByTestId('rule-condition')).toHaveText('Failed sign-ins above 0 over 60 min');
    await expect(rows.getByTestId('rule-state')).toHaveText('On');
    await expect(rows.getByTestId('severity')).toHaveText('Critical');
    await expect(rows.getByTestId('rule-recipients')).toContainText('Operators');
    await expect(form.getByTestId('error-window_minutes')).toHaveCount(0);

    // A sign-in fails; a minute later the evaluation is due and the timer worker runs it.
    await failSignIn((await browser.newContext()).request, tech);
    await advanceClock(tech, 61_000);
    const incidentRow = tech.getByTestId('incident-row').filter({ hasText: name });
    await expect(async () => {
      await tech.goto('/console/incidents');
      await expect(incidentRow).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 90_000 });
    await expect(incidentRow.getByTestId('state')).toHaveText('Open');
    await expect(incidentRow.getByTestId('severity')).toHaveText('Critical');
    const incidentId = await incidentRow.getAttribute('data-id');
    await shots(tech, 'console-incidents');

    // The rules page shows the measured value and links to the incident.
    await tech.goto('/console/alerts');
    await expect(rows.getByTestId('rule-incident')).toHaveText(`#${incidentId}`);
    await expect(rows.getByTestId('rule-last-value')).not.toHaveText('0');
    await shots(tech, 'console-alerts');

    // The command center lists it.
    await tech.goto('/console');
    const card = tech.getByTestId('open-incidents');
    await expect(card.getByTestId('open-incident').filter({ hasText: name })).toHaveCount(1);
    await shots(tech, 'console-open-incidents');

    // The incident: acknowledged with a note.
    await tech.goto('/console/incidents');
    await incidentRow.getByTestId('incident-link').click();
    await expect(tech.getByRole('heading', { name: `Incident #${incidentId} — ${name}` })).toBeVisible();
    await expect(tech.getByTestId('incident-state')).toHaveText('Open');
    const timeline = tech.getByTestId('incident-timeline');
    await expect(timeline.locator('[data-kind="opened"]')).toHaveCount(1);
    await hydrated(tech);
    const ack = tech.getByTestId('ack-form');
    await ack.getByLabel('Note (optional)').fill('Looking at the sign-in log');
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The incident is acknowledged.');
    await expect(tech.getByTestId('incident-state')).toHaveText('Acknowledged');
    await expect(timeline.locator('[data-kind="acknowledged"]')).toContainText('Acknowledged');
    await expect(timeline.locator('[data-kind="acknowledged"]')).toContainText('Looking at the sign-in log');
    await expect(timeline.locator('[data-kind="acknowledged"]')).toContainText(techEmail);
    await expect(ack).toHaveCount(0);

    // A note.
    const note = tech.getByTestId('note-form');
    await note.getByLabel('Note', { exact: true }).fill('One unknown address, from the test suite');
    await note.getByRole('button', { name: 'Add note' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The note was added.');
    await expect(timeline.locator('[data-kind="note"]')).toContainText('One unknown address, from the test suite');
    await shots(tech, 'console-incident');

    // Resolved, saying what was done.
    const resolve = tech.getByTestId('resolve-form');
    await resolve.getByLabel('What was done').fill('Expected: the suite signs in with a wrong password on purpose');
    await resolve.getByRole('button', { name: 'Resolve incident' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The incident is resolved.');
    await expect(tech.getByTestId('incident-state')).toHaveText('Resolved');
    await expect(timeline.locator('[data-kind="resolved"]')).toContainText('Expected: the suite signs in');
    await expect(tech.getByTestId('resolve-form')).toHaveCount(0);
    await shotAsIs(tech, 'console-incident-resolved');

    // Off the unresolved queue, on the resolved one; off the command center.
    await tech.goto('/console/incidents');
    await expect(tech.getByTestId('incidents-table').or(tech.getByTestId('empty-state'))).toBeVisible();
    await expect(incidentRow).toHaveCount(0);
    await hydrated(tech);
    await tech.getByLabel('State').selectOption('resolved');
    await tech.getByRole('button', { name: 'Filter' }).click();
    await expect(tech).toHaveURL(/state=resolved/);
    await expect(incidentRow.getByTestId('state')).toHaveText('Resolved');
    await tech.goto('/console');
    await expect(tech.getByTestId('open-incidents')).toBeVisible();
    await expect(tech.getByTestId('open-incidents').getByText(name)).toHaveCount(0);

    // The rule: silenced for a while, the silence ended, then turned off.
    await tech.goto('/console/alerts');
    await hydrated(tech);
    await rows.getByTestId('silence-toggle').click();
    const silence = tech.getByTestId('silence-form');
    await silence.getByLabel('Silence for (minutes)').fill('30');
    await silence.getByLabel('Why (recorded with the silence)').fill('Known noise from the test suite');
    await shotAsIs(tech, 'console-alerts-silence');
    await silence.getByRole('button', { name: 'Silence the rule' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The rule is silenced.');
    await expect(rows.getByTestId('rule-state')).toHaveText('Silenced');
    await expect(rows.getByTestId('silenced-until')).toContainText('UTC');
    await rows.getByRole('button', { name: 'End silence' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The silence has ended.');
    await expect(rows.getByTestId('rule-state')).toHaveText('On');
    await rows.getByRole('button', { name: 'Turn off' }).click();
    await expect(tech.getByTestId('action-done')).toHaveText('The rule is off: it is no longer checked.');
    await expect(rows.getByTestId('rule-state')).toHaveText('Off');
  } finally {
    // Whatever happened above, the rule stops firing for the specs after this one.
    if (ruleId) {
      await tech.request.post('/api/set_alert_rule_enabled', { form: { id: ruleId, enabled: 'false' } });
    }
  }
});
