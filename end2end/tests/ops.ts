// What the console's specs share: the server's own binary run as an
// operator runs it (against this project's database), a number read from
// that database, and an operator enrolled and signed in.
import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { base32, jsOn, totp } from './checks';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OPS_PASSWORD = 'console lantern harbour 42';

export const dbFile = () => path.join(ROOT, 'target', 'e2e', `${jsOn() ? 'js' : 'nojs'}.db`);

/** Runs the server's binary with this project's server settings. */
export function portal(args: string[]): string {
  const base = test.info().project.use.baseURL!;
  return execFileSync('target/release/provider-portal', args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `sqlite://${dbFile()}?mode=rwc`, PUBLIC_URL: base, LEPTOS_SITE_ADDR: `127.0.0.1:${new URL(base).port}` },
    encoding: 'utf8',
  });
}

/** A number from this project's database (Python's sqlite3: another reader than the app). */
export function sql(query: string): number {
  const out = execFileSync('python3', ['-c', `import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])`, dbFile(), query], { encoding: 'utf8' });
  return Number(out.trim());
}

/** Runs `operator add` against this project's server database; the link it prints. */
export function addOperator(username: string, role: string): string {
  const out = portal(['operator', 'add', '--username', username, '--role', role]);
  const link = out.trim().split('\n').pop()!;
  expect(link).toMatch(/\/ops\/enrol\?token=[0-9a-f]{64}$/);
  return link;
}

export const stepNow = () => Math.floor(Date.now() / 1000 / 30);

/** Adds an operator, enrols it at its link and signs it in. */
export async function operatorSignedIn(page: Page, username: string, role: string) {
  await page.goto(addOperator(username, role));
  const seed = base32((await page.locator('code.seed').textContent())!);
  await page.getByLabel('New Password').fill(OPS_PASSWORD);
  await page.getByLabel('Confirm Password').fill(OPS_PASSWORD);
  await page.getByLabel('Code from your authenticator app').fill(totp(seed, stepNow()));
  await page.getByRole('button', { name: 'Finish setting up' }).click();
  await expect(page).toHaveURL(/\/ops\/sign-in\?notice=enrolled$/);
  // The code that enrolled is spent: wait for the authenticator's next one.
  const spent = stepNow();
  await expect.poll(stepNow, { timeout: 35_000, intervals: [500] }).toBeGreaterThan(spent);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(OPS_PASSWORD);
  await page.getByLabel('Code from your authenticator app').fill(totp(seed, stepNow()));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/ops$/);
}
