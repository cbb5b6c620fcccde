// The account lock: ten failed sign-ins within fifteen minutes lock the account; the sign-in page says
// until when; the owner gets a mail with a one-time unlock link, opens it, unlocks, and signs in.
// The slowdown's waits are skipped with the test clock (each wait is a real wait for a guesser), and
// at the end the clock moves an hour on, so the IP these specs share starts the next spec afresh.
import { test, expect } from '@playwright/test';
import { PASSWORD, advanceClock, hydrated, linkIn, shotAsIs, shots, signIn, signUp, uniqueEmail } from '../helpers';
import { waitForMail } from '../mail';

const HOUR = 3_600_000;

test('ten failed sign-ins lock the account; the mailed link unlocks it once; the owner signs in', async ({ browser }) => {
  const email = uniqueEmail('locked');
  const owner = await (await browser.newContext()).newPage();
  await signUp(owner, 'Lou Locked', email);
  await expect(owner.getByTestId('account-link')).toHaveText('Lou Locked');

  // A guesser, elsewhere: ten wrong passwords, each wait sat out.
  const guesser = await (await browser.newContext()).newPage();
  let failures = 0;
  while (failures < 10) {
    const res = await guesser.request.post('/api/sign_in', { form: { email, password: 'a wrong guess' } });
    if (res.status() === 429) {
      const body = await res.json();
      await advanceClock(guesser, body.RateLimited.retry_after_s * 1000);
      continue;
    }
    expect(res.status(), await res.text()).toBe(400);
    failures += 1;
  }

  // Even the right password is refused now, with when the lock ends (past the IP's own wait).
  const page = await (await browser.newContext()).newPage();
  await expect(async () => {
    await signIn(page, email, PASSWORD);
    const alert = page.getByTestId('form-error');
    await expect(alert).toBeVisible({ timeout: 2_000 });
    const text = (await alert.textContent()) ?? '';
    const wait = text.match(/in (\d+) seconds/);
    if (wait) await advanceClock(page, Number(wait[1]) * 1000);
    expect(text).toContain('this account is locked until');
  }).toPass({ timeout: 30_000 });
  await shotAsIs(page, 'signin-locked');

  // The owner's mail has the link; it unlocks once.
  const mail = await waitForMail({ to: email, subject: 'Your Agora account is locked for 15 minutes' });
  const link = linkIn(mail.text, '/unlock');
  await page.goto(link);
  await hydrated(page);
  await shots(page, 'unlock');
  await page.getByRole('button', { name: 'Unlock my account' }).click();
  await expect(page.getByTestId('done')).toHaveText('Your account is unlocked. You can sign in now.');
  await page.goto(link);
  await hydrated(page);
  await page.getByRole('button', { name: 'Unlock my account' }).click();
  await expect(page.getByTestId('form-error')).toBeVisible();

  // The shared IP's slowdown passes with the hour; the owner signs in.
  await advanceClock(page, HOUR);
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('account-link')).toHaveText('Lou Locked');
});
