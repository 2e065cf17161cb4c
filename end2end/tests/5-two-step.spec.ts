// Two-step sign-in with an authenticator app and backup codes, in Chromium,
// with and without JavaScript. johnsmith@gmail.com (consolidated by
// 1-wizard.spec.ts in each project) is offered a second step on My
// accounts, sets up an authenticator app (its codes computed here from the
// key the page shows, as an app would), keeps its backup codes, signs out,
// signs in with the password and a code, then with a backup code. axe-core
// (WCAG 2.2 AA) runs on every new page, in English and Spanish.
import { test, expect, Page } from '@playwright/test';
import { screenshots } from './pictures';
import { axe, axeBothLanguages, base32, totp } from './checks';

const USERNAME = 'johnsmith@gmail.com';
const PASSWORD = 'Welcome#2019';

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const click = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();

/** A code not used before: this step's, or the next one's (one step of drift is allowed). */
let lastStep = 0;
function freshCode(key: Buffer): string {
  lastStep = Math.max(Math.floor(Date.now() / 1000 / 30), lastStep + 1);
  return totp(key, lastStep);
}

async function signIn(page: Page, password = PASSWORD) {
  await page.goto('/');
  await page.getByLabel('Username', { exact: true }).fill(USERNAME);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await click(page, 'Login');
}

test.describe.configure({ mode: 'serial' });

let key: Buffer;
let backupCodes: string[] = [];

test('a login without a second step sets up an authenticator app and keeps its backup codes', async ({ page }, info) => {
  await signIn(page);
  await expect(heading(page, 'My accounts')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add a second step to your login' })).toBeVisible();
  await page.getByRole('link', { name: 'Protect your new login', exact: true }).click();
  await expect(heading(page, 'Protect your new login')).toBeVisible();
  await axeBothLanguages(page, 'protect', /Proteja su nuevo acceso/);
  if (info.project.name === 'js') await screenshots(page, 'en', 'protect-your-new-login');

  await click(page, 'Set up an authenticator app');
  await expect(heading(page, 'Set up an authenticator app')).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();
  key = base32(await page.locator('code.key').innerText());
  expect(key.length).toBe(20);
  await axeBothLanguages(page, 'app set-up', /Configurar una aplicación de autenticación/);
  if (info.project.name === 'js') await screenshots(page, 'en', 'app-set-up');

  // A wrong code: said beside the field, the name typed kept.
  await page.getByLabel('Name for this app').fill('Work phone');
  const right = freshCode(key);
  await page.getByLabel('Code from the app').fill(right === '000000' ? '111111' : '000000');
  await click(page, 'Turn on');
  await expect(page.getByText(/That code is not right/).first()).toBeVisible();
  await expect(page.getByLabel('Name for this app')).toHaveValue('Work phone');
  await axe(page, 'app set-up with an error');
  await page.getByLabel('Code from the app').fill(right);
  await click(page, 'Turn on');

  await expect(heading(page, 'Your backup codes')).toBeVisible();
  backupCodes = await page.locator('ul.backup-codes code').allInnerTexts();
  expect(backupCodes).toHaveLength(10);
  for (const c of backupCodes) expect(c).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  await axe(page, 'backup codes');
  if (info.project.name === 'js') await screenshots(page, 'en', 'backup-codes');
  await page.getByRole('link', { name: 'I have kept them: go to My accounts' }).click();
  await expect(heading(page, 'My accounts')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Add a second step to your login' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Sign-in and security', exact: true }).click();
  await expect(heading(page, 'Sign-in and security')).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'Work phone' })).toBeVisible();
  await expect(page.getByText('10 of 10 backup codes are left.')).toBeVisible();
  await axeBothLanguages(page, 'sign-in and security', /Inicio de sesión y seguridad/);
  if (info.project.name === 'js') await screenshots(page, 'en', 'sign-in-and-security');
  await page.goto('/accounts');
  await click(page, 'Sign out');
});

test('sign-in asks for the second step: a wrong code, then the app', async ({ page }) => {
  await signIn(page);
  await expect(heading(page, "Confirm it's you")).toBeVisible();
  await axeBothLanguages(page, 'second step', /Confirme que es usted/);
  if (test.info().project.name === 'js') await screenshots(page, 'en', 'confirm-its-you');
  const field = page.getByLabel('Code from your app, or a backup code');
  await field.fill('123 456');
  await click(page, 'Continue');
  await expect(page.getByText(/That code is not right/).first()).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveValue('');
  await axe(page, 'second step with an error');
  await field.fill(freshCode(key));
  await click(page, 'Continue');
  await expect(heading(page, 'My accounts')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Smith Family Medicine', exact: true })).toBeVisible();
  await click(page, 'Sign out');
});

test('a backup code signs in once', async ({ page }) => {
  await signIn(page);
  await page.getByLabel('Code from your app, or a backup code').fill(backupCodes[0].toLowerCase());
  await click(page, 'Continue');
  await expect(heading(page, 'My accounts')).toBeVisible();
  await click(page, 'Sign out');
  await signIn(page);
  await page.getByLabel('Code from your app, or a backup code').fill(backupCodes[0]);
  await click(page, 'Continue');
  await expect(heading(page, "Confirm it's you")).toBeVisible();
  await expect(page.getByText(/That code is not right/).first()).toBeVisible();
});
