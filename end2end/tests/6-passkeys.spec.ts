// Passkeys in Chromium, answered by a virtual authenticator (the DevTools
// protocol's WebAuthn domain: CTAP2, internal, resident keys, user
// verification). mjones (consolidated by 2-accessibility.spec.ts in each
// project) adds a passkey on Protect your new login after the password
// again, keeps the backup codes, signs out, signs in with the passkey alone,
// then with the password and the passkey as the second step. Without
// JavaScript no passkey button is shown and the other ways remain. axe-core
// runs on every new page, in English and Spanish.
import { test, expect, Page } from '@playwright/test';
import { axeBothLanguages, jsOn } from './checks';
import { screenshots } from './pictures';

const USERNAME = 'mjones';
const PASSWORD = 'Jones#2018';

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const click = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('Username', { exact: true }).fill(USERNAME);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await click(page, 'Login');
}

async function signOut(page: Page) {
  await page.goto('/accounts');
  await click(page, 'Sign out');
  await expect(page.getByText('You are signed out.')).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

test('without JavaScript no passkey button is shown, and codes and passwords remain', async ({ page }) => {
  test.skip(jsOn(), 'the path without JavaScript');
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeHidden();
  await signIn(page);
  await expect(heading(page, 'My accounts')).toBeVisible();
  await page.goto('/security/protect');
  await expect(heading(page, 'Protect your new login')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Set up an authenticator app' })).toBeVisible();
  await signOut(page);
});

test('a passkey is added after the password again, then signs in alone and as the second step', async ({ page }) => {
  test.skip(!jsOn(), 'the browser makes passkeys with JavaScript');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  await signIn(page);
  await expect(heading(page, 'My accounts')).toBeVisible();
  await page.getByRole('link', { name: 'Protect your new login', exact: true }).click();
  await expect(heading(page, 'Protect your new login')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a passkey' })).toBeVisible();
  await axeBothLanguages(page, 'protect with passkeys', /Proteja su nuevo acceso/);

  // The password again, then the page where the browser makes it.
  await page.locator('#passkey-password').fill(PASSWORD);
  await click(page, 'Add a passkey');
  await expect(heading(page, 'Create your passkey')).toBeVisible();
  await axeBothLanguages(page, 'create your passkey', /Cree su llave de acceso/);
  await screenshots(page, 'en', 'create-your-passkey');
  await page.getByLabel('Name for this passkey').fill('Office laptop');
  await click(page, 'Create passkey');
  await expect(page.locator('.backup-codes li')).toHaveCount(10);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials.length).toBe(1);
  expect(credentials[0].isResidentCredential, 'discoverable: it signs in without a username').toBe(true);

  await page.goto('/security');
  await expect(page.getByRole('rowheader', { name: 'Office laptop' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Passkey', exact: true })).toBeVisible();
  await signOut(page);

  // Sign in with a passkey: no username, no password.
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toBeVisible();
  await screenshots(page, 'en', 'sign-in-with-a-passkey');
  await click(page, 'Sign in with a passkey');
  await expect(heading(page, 'My accounts')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Farmington Pediatrics', exact: true })).toBeVisible();
  await signOut(page);

  // The password, then the passkey as the second step.
  await signIn(page);
  await expect(heading(page, "Confirm it's you")).toBeVisible();
  await axeBothLanguages(page, 'confirm with a passkey', /Confirme que es usted/);
  await click(page, 'Use your passkey');
  await expect(heading(page, 'My accounts')).toBeVisible();
  const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(after.credentials[0].signCount).toBeGreaterThan(credentials[0].signCount);
  await signOut(page);
});
