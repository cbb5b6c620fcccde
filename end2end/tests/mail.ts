// The mail the run's SMTP server received (fixtures/mail-server.mjs stores each message as a JSON file
// in E2E_MAILDIR). `waitForMail` polls the directory until a matching message is there.
import { expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export interface Mail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Raw header values by lower-cased name. */
  headers: Record<string, string>;
}

function mailDir(): string {
  const dir = process.env.E2E_MAILDIR;
  if (!dir) throw new Error('E2E_MAILDIR is not set (playwright.config.ts sets it)');
  return dir;
}

/** Every message received so far, oldest first. */
export function allMail(): Mail[] {
  const dir = mailDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Mail);
}

function matching(to: string, subject?: string | RegExp): Mail[] {
  return allMail().filter(
    (m) =>
      m.to.includes(to.toLowerCase()) &&
      (subject === undefined || (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject))),
  );
}

/** The newest message to `to` (with `subject`, when given), waiting until the outbox worker sent it. */
export async function waitForMail({ to, subject }: { to: string; subject?: string | RegExp }): Promise<Mail> {
  await expect
    .poll(() => matching(to, subject).length, { message: `a mail to ${to} (${subject ?? 'any subject'})`, timeout: 20_000 })
    .toBeGreaterThan(0);
  const found = matching(to, subject);
  return found[found.length - 1];
}

/** The URL in a mail's `List-Unsubscribe: <…>` header. */
export function unsubscribeLink(mail: Mail): string {
  const header = mail.headers['list-unsubscribe'];
  expect(header, `List-Unsubscribe on "${mail.subject}"`).toBeTruthy();
  return header.replace(/^<|>$/g, '');
}
