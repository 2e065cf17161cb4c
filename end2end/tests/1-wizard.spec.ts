// Runs first: it consolidates johnsmith@gmail.com and jsmith-billing, and
// leaves mjones for 2-accessibility.spec.ts.
import { test, expect, Page } from '@playwright/test';
import { latestCode } from './mail';

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

test('a provider consolidates johnsmith@gmail.com and jsmith-billing, signs in and out', async ({ page }, info) => {
  const email = `john.${info.project.name}.${Date.now()}@example.com`;
  const js = info.project.name === 'js';
  await page.goto('/');
  await expect(heading(page, 'Sign in')).toBeVisible();
  // With JavaScript, one document for the whole walkthrough: a value put on
  // `window` now is still there at the end, and no page is a new document.
  const documents: string[] = [];
  if (js) {
    await page.locator('html[data-enhanced]').waitFor();
    await page.evaluate(() => ((window as any).__firstLoad = 'kept'));
    page.on('request', (r) => {
      if (r.resourceType() === 'document') documents.push(r.url());
    });
  }
  await expect(page.getByLabel('Username')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Login' })).toBeVisible();
  for (const link of ['Forgot Username', 'Forgot Password', 'Register']) {
    await expect(page.getByRole('link', { name: link, exact: true })).toBeVisible();
  }
  await page.getByRole('link', { name: 'click here to continue' }).click();

  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await expect(page.getByText('Step 1 of 5')).toBeVisible();
  await page.getByLabel('Username').fill('johnsmith@gmail.com');
  await page.getByLabel('Tax ID Number').fill('83-6576879');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(heading(page, 'Account Verification')).toBeVisible();
  await page.getByLabel("What's your maiden name?").fill('smith');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(heading(page, 'Email Address Verification')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Verify Email').fill(email);
  const sentAfter = Date.now() - 2000;
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(heading(page, 'Security Code Verification')).toBeVisible();
  await expect(page.getByText(/check your spam/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Request New Code' })).toBeVisible();
  const code = await latestCode(email, sentAfter);
  await page.getByLabel('Verification Code').fill(code);
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(heading(page, 'Verify Username and Password')).toBeVisible();
  await page.getByLabel('Username').fill('johnsmith@gmail.com');
  await page.getByLabel('Password', { exact: true }).fill('Welcome#2019');
  await page.getByRole('button', { name: 'Submit' }).click();

  // Add jsmith-billing with its PIN: the email steps are skipped.
  await expect(heading(page, 'Accounts to consolidate')).toBeVisible();
  await page.getByRole('button', { name: 'Add another account' }).click();
  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await page.getByLabel('Username').fill('jsmith-billing');
  await page.getByLabel('Tax ID Number').fill('061234567');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What city were you born in?').fill('1357');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Verify Username and Password')).toBeVisible();
  await page.getByLabel('Username').fill('jsmith-billing');
  await page.getByLabel('Password', { exact: true }).fill('Billing#2020');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(heading(page, 'Accounts to consolidate')).toBeVisible();
  await page.getByRole('button', { name: 'Finish' }).click();

  await expect(heading(page, 'Thank You')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Smith Family Medicine', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Smith Family Medicine Billing', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: '***-**-6879', exact: true })).toBeVisible();
  await expect(page.getByText('836576879')).toHaveCount(0);

  // Finish signed the new login in: Thank You leads on to Protect your new
  // login, which may wait (TWO_STEP=offer) until My accounts.
  await page.getByRole('link', { name: 'Protect your new login', exact: true }).click();
  await expect(heading(page, 'Protect your new login')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set up an authenticator app' })).toBeVisible();
  await page.getByRole('link', { name: 'Not now: go to My accounts' }).click();
  await expect(heading(page, 'My accounts')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Sign in with the consolidated login: both practices; then sign out.
  await expect(page.getByText('You are signed out.')).toBeVisible();
  await page.getByLabel('Username').fill('johnsmith@gmail.com');
  await page.getByLabel('Password').fill('Welcome#2019');
  await page.getByRole('button', { name: 'Login' }).click();
  await expect(heading(page, 'My accounts')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Smith Family Medicine', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Smith Family Medicine Billing', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You are signed out.')).toBeVisible();

  // The merged account's old login no longer signs in.
  await page.getByLabel('Username').fill('jsmith-billing');
  await page.getByLabel('Password').fill('Billing#2020');
  await page.getByRole('button', { name: 'Login' }).click();
  await expect(page.getByText(/The username or password is not right/).first()).toBeVisible();
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(page.getByLabel('Username')).toHaveValue('jsmith-billing');
  await expect(heading(page, 'My accounts')).toHaveCount(0);
  if (js) {
    expect(await page.evaluate(() => (window as any).__firstLoad)).toBe('kept');
    expect(documents, 'document requests after the first').toEqual([]);
  }
});

test('imported bcrypt and SHA-512-crypt accounts go into one login, which signs in', async ({ page }, info) => {
  // kpatel's password came from its old portal as a bcrypt hash,
  // kpatel-billing's as SHA-512-crypt (demo/accounts.csv, loaded by the import).
  const email = `patel.${info.project.name}.${Date.now()}@example.com`;
  await page.goto('/wizard/lookup');
  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await page.getByLabel('Username').fill('kpatel');
  await page.getByLabel('Tax ID Number').fill('73-1234567');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Account Verification')).toBeVisible();
  await page.getByLabel('What street did you grow up on?').fill('ELM');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Email Address Verification')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Verify Email').fill(email);
  const sentAfter = Date.now() - 2000;
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Security Code Verification')).toBeVisible();
  await page.getByLabel('Verification Code').fill(await latestCode(email, sentAfter));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Verify Username and Password')).toBeVisible();
  await page.getByLabel('Username').fill('kpatel');
  await page.getByLabel('Password', { exact: true }).fill('Cardio#2018');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByText(/The username or password is not right/).first()).toBeVisible();
  await page.getByLabel('Username').fill('kpatel');
  await page.getByLabel('Password', { exact: true }).fill('Cardio#2017');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(heading(page, 'Accounts to consolidate')).toBeVisible();
  await page.getByRole('button', { name: 'Add another account' }).click();
  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await page.getByLabel('Username').fill('kpatel-billing');
  await page.getByLabel('Tax ID Number').fill('731234567');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What was your first car?').fill('2718');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Verify Username and Password')).toBeVisible();
  await page.getByLabel('Username').fill('kpatel-billing');
  await page.getByLabel('Password', { exact: true }).fill('Billing#2016');
  await page.getByRole('button', { name: 'Submit' }).click();
  await expect(heading(page, 'Accounts to consolidate')).toBeVisible();
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(heading(page, 'Thank You')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Patel Cardiology', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Patel Cardiology Billing', exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'Go to sign in' }).click();
  await page.getByLabel('Username').fill('KPatel');
  await page.getByLabel('Password').fill('Cardio#2017');
  await page.getByRole('button', { name: 'Login' }).click();
  await expect(heading(page, 'My accounts')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Patel Cardiology', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Patel Cardiology Billing', exact: true })).toBeVisible();
});

test('with JavaScript, steps change in place; Back moves the wizard back, keeping what was typed', async ({ page }, info) => {
  test.skip(info.project.name !== 'js', 'the browser keeps its own history without JavaScript');
  await page.goto('/wizard/lookup');
  await page.locator('html[data-enhanced]').waitFor();
  await page.getByLabel('Username').fill('mjones');
  await page.getByLabel('Tax ID Number').fill('123456789');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Account Verification')).toBeVisible();
  await expect(page).toHaveURL(/\/wizard\/verify$/);
  await expect(page).toHaveTitle('Account Verification - Provider Portal');
  await expect(page.locator('h1')).toBeFocused();

  // Back: Account Lookup, the username kept; the wizard moved back on the server.
  await page.goBack();
  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await expect(page).toHaveURL(/\/wizard\/lookup$/);
  await expect(page.getByLabel('Username')).toHaveValue('mjones');
  await expect(page.locator('h1')).toBeFocused();
  // Forward is not a way past a step: the server is at Account Lookup.
  await page.goForward();
  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await expect(page).toHaveURL(/\/wizard\/lookup$/);

  await page.getByLabel('Tax ID Number').fill('123456789');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What was the name of your first pet?').fill('9024');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Email Address Verification')).toBeVisible();
  const email = `m.back.${Date.now()}@example.com`;
  await page.getByLabel('Email', { exact: true }).fill(email);
  // Verify Email says at once whether the two addresses match.
  await page.getByLabel('Verify Email').fill(`x${email}`);
  await page.getByLabel('Verify Email').blur();
  await expect(page.locator('#verify_email-error')).toHaveText(/The two email addresses are not the same/);
  await page.getByLabel('Verify Email').fill(email);
  await expect(page.locator('#verify_email-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Security Code Verification')).toBeVisible();
  await expect(page.locator('h1')).toBeFocused();
  // A pasted code with a space: the page says when its six digits are there.
  await page.getByLabel('Verification Code').fill('123 45');
  await expect(page.locator('#code-error')).toHaveText(/The code is 6 digits/);
  await expect(page.locator('.field-note')).toHaveCount(0);
  await page.getByLabel('Verification Code').pressSequentially('6');
  await expect(page.locator('.field-note')).toHaveText('All 6 digits are there.');
  await expect(page.locator('#code-error')).toHaveCount(0);

  // Back: Email Address Verification, the address kept.
  await page.goBack();
  await expect(heading(page, 'Email Address Verification')).toBeVisible();
  await expect(page).toHaveURL(/\/wizard\/email$/);
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email);

  // A wrong lookup comes back in place with its errors; focus on the summary.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(heading(page, 'Sign in')).toBeVisible();
  await page.getByRole('link', { name: 'click here to continue' }).click();
  await page.getByLabel('Tax ID Number').fill('12-345');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(page.getByLabel('Tax ID Number')).toHaveValue('12-345');
});

test('wrong input is explained on the page and what was typed is kept', async ({ page }) => {
  await page.goto('/wizard/lookup');
  await page.getByLabel('Username').fill('mjones');
  await page.getByLabel('Tax ID Number').fill('12-345');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(page.getByRole('link', { name: /Enter a Tax ID Number of 9 digits/ })).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue('mjones');
  await expect(page.getByLabel('Tax ID Number')).toHaveValue('12-345');
  await expect(page.getByLabel('Tax ID Number')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Tax ID Number').fill('123456789');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What was the name of your first pet?').fill('Max');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/does not match our records/).first()).toBeVisible();

  // Previous keeps the lookup; Cancel abandons the wizard.
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(heading(page, 'Account Lookup')).toBeVisible();
  await expect(page.getByLabel('Username')).toHaveValue('mjones');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(heading(page, 'Sign in')).toBeVisible();
  await expect(page.getByText('Nothing was changed')).toBeVisible();
});

test('every wizard page links to its section of the quick guide', async ({ page }) => {
  await page.goto('/wizard/lookup');
  await page.getByRole('link', { name: 'View our quick guide.' }).click();
  await expect(page).toHaveURL(/\/help#account-lookup$/);
  await expect(page.getByRole('heading', { name: '1. Account Lookup' })).toBeVisible();
});

test('islands run with JavaScript and the page works without', async ({ page }, info) => {
  // The Content-Security-Policy lets our nonce'd bootstrap run and blocks nothing of ours.
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(m.text());
  });
  await page.goto('/wizard/lookup');
  await page.getByLabel('Username').fill('mjones');
  await page.getByLabel('Tax ID Number').fill('123456789');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What was the name of your first pet?').fill('9024');
  await page.getByRole('button', { name: 'Next' }).click();
  const email = `m.${info.project.name}.${Date.now()}@example.com`;
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Verify Email').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Security Code Verification')).toBeVisible();
  const countdown = page.getByText(/You can request a new code in \d+ seconds?\./);
  await expect(countdown).toBeVisible();
  if (info.project.name === 'js') {
    // The countdown moves in the browser.
    const first = await countdown.textContent();
    await expect.poll(async () => page.getByText(/You can request a new code in/).textContent(), { timeout: 5000 }).not.toBe(first);
  } else {
    // Too soon, without JavaScript: the server says so.
    await page.getByRole('button', { name: 'Request New Code' }).click();
    await expect(page.getByText(/You can ask for a new one in \d+ seconds/).first()).toBeVisible();
  }
  await page.getByLabel('Verification Code').fill(await latestCode(email));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(heading(page, 'Verify Username and Password')).toBeVisible();
  const toggle = page.getByRole('button', { name: 'Show password' });
  if (info.project.name === 'js') {
    await page.getByLabel('Password', { exact: true }).fill('secret');
    await toggle.click();
    await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'text');
    // The same button hides it again; its name and pressed state follow.
    const hide = page.getByRole('button', { name: 'Hide password' });
    await expect(hide).toHaveAttribute('aria-pressed', 'true');
    await hide.click();
    await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('type', 'password');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  } else {
    await expect(toggle).toBeHidden();
  }
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(heading(page, 'Sign in')).toBeVisible();
  expect(blocked, blocked.join('\n')).toEqual([]);
});

test('assets carry content-hashed names and a one-year cache; pages are compressed', async ({ page, request }) => {
  await page.goto('/wizard/lookup');
  const css = await page.locator('link[rel="stylesheet"]').getAttribute('href');
  expect(css).toMatch(/^\/pkg\/provider-portal\.[A-Za-z0-9_-]{10,}\.css$/);
  const asset = await request.get(css!);
  expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const scripts = await page.locator('link[rel="modulepreload"], link[rel="preload"]').evaluateAll(
    (ls) => ls.map((l) => l.getAttribute('href')),
  ).catch(() => [] as (string | null)[]);
  for (const href of scripts.filter((h): h is string => !!h && h.startsWith('/pkg/'))) {
    expect(href).toMatch(/\.[A-Za-z0-9_-]{10,}\.(js|wasm)$/);
  }
  const html = await request.get('/wizard/lookup', { headers: { 'accept-encoding': 'br' } });
  expect(html.headers()['content-encoding']).toBe('br');
  expect(html.headers()['cache-control']).toBe('no-store');
});

test('Next pressed twice sends one request, and says it is working', async ({ page }, info) => {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/wizard/lookup') posts.push(r.url());
  });
  await page.goto('/wizard/lookup');
  if (info.project.name === 'js') {
    await page.locator('html[data-enhanced]').waitFor();
  }
  await page.getByLabel('Username').fill('double-press');
  await page.getByLabel('Tax ID Number').fill('123456780');
  if (info.project.name === 'js') {
    // The server takes its time (an argon2 check under load): the second
    // press comes while the first is still on its way.
    await page.route('**/api/wizard/lookup', async (route) => {
      await new Promise((r) => setTimeout(r, 800));
      await route.continue();
    });
    // Pressed in the page itself (Playwright's own clicks wait for the
    // navigation): once, then again 200 ms later, still on this page.
    const seen = await page.evaluate(async () => {
      const b = document.querySelector('main form button.button--primary') as HTMLButtonElement;
      b.click();
      const busy = [b.getAttribute('aria-busy'), b.textContent];
      await new Promise((r) => setTimeout(r, 200));
      b.click();
      return busy;
    });
    expect(seen).toEqual(['true', 'Working…']);
    await expect(heading(page, 'Account Verification')).toBeVisible();
    await expect(page).toHaveURL(/\/wizard\/verify$/);
    expect(posts.length, 'one lookup for two presses').toBe(1);
  } else {
    // Without JavaScript the form is a plain form: one press, one request.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading(page, 'Account Verification')).toBeVisible();
    expect(posts.length).toBe(1);
  }
});

test('with JavaScript, a field is checked when it is left, before any Next, in both languages', async ({ page }, info) => {
  test.skip(info.project.name !== 'js', 'without JavaScript the server checks on Next');
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.url());
  });
  await page.goto('/wizard/lookup');
  await page.locator('html[data-enhanced]').waitFor();
  // Passing over an empty field says nothing.
  await page.getByLabel('Username').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('.field-error')).toHaveCount(0);
  const tin = page.getByLabel('Tax ID Number');
  await tin.fill('12-345');
  await tin.blur();
  const message = page.locator('#tin-error');
  await expect(message).toHaveText(/Enter a Tax ID Number of 9 digits/);
  await expect(tin).toHaveAttribute('aria-invalid', 'true');
  await expect(tin).toHaveAttribute('aria-describedby', /tin-error/);
  // Corrected: the message goes as the last digit is typed.
  await tin.focus();
  await tin.pressSequentially('6789');
  await expect(message).toHaveCount(0);
  await expect(tin).not.toHaveAttribute('aria-invalid', 'true');
  expect(posts, 'nothing was sent').toEqual([]);

  // In Spanish, the same check says it in Spanish.
  await page.goto('/lang/es?next=%2Fwizard%2Flookup');
  await page.locator('html[data-enhanced]').waitFor();
  const tinEs = page.getByLabel('Número de identificación fiscal (TIN)');
  await tinEs.fill('12-345');
  await tinEs.blur();
  await expect(page.locator('#tin-error')).toHaveText(/Escriba un número de identificación fiscal de 9 dígitos/);
  expect(posts, 'nothing was sent').toEqual([]);
});

// The server's 429 and a lost connection, as the browser meets them: the
// first request is answered here (page.route), the rest go to the server.
test('with JavaScript, a 429 says why and the form is sent again once the wait is over', async ({ page }, info) => {
  test.skip(info.project.name !== 'js', 'without JavaScript the browser shows the 429 page');
  await page.goto('/wizard/lookup');
  await page.locator('html[data-enhanced]').waitFor();
  const sent: number[] = [];
  await page.route('**/api/wizard/lookup', async (route) => {
    sent.push(Date.now());
    if (sent.length > 1) return route.continue();
    await route.fulfill({
      status: 429,
      headers: { 'retry-after': '2', 'content-type': 'text/html; charset=utf-8' },
      body: '<!DOCTYPE html><html lang="en"><head><title>Busy</title></head><body><main class="page" id="main"><h1>Busy</h1><p class="lead">The server is busy.</p></main></body></html>',
    });
  });
  await page.getByLabel('Username').fill('mjones');
  await page.getByLabel('Tax ID Number').fill('123456789');
  await page.getByRole('button', { name: 'Next' }).click();
  const notice = page.locator('[data-nav-notice]');
  await expect(notice).toContainText('The server is busy.');
  await expect(notice).toContainText('sent again when the wait is over');
  await expect(page.getByLabel('Username')).toHaveValue('mjones');
  await expect(heading(page, 'Account Verification')).toBeVisible({ timeout: 10_000 });
  expect(sent.length).toBe(2);
  expect(sent[1] - sent[0], 'not before the wait is over').toBeGreaterThanOrEqual(1900);
});

test('with JavaScript, a lost connection is said and nothing typed is lost', async ({ page }, info) => {
  test.skip(info.project.name !== 'js', 'without JavaScript the browser shows its own error page');
  await page.goto('/wizard/lookup');
  await page.locator('html[data-enhanced]').waitFor();
  let first = true;
  await page.route('**/api/wizard/lookup', async (route) => {
    if (!first) return route.continue();
    first = false;
    await route.abort('internetdisconnected');
  });
  await page.getByLabel('Username').fill('mjones');
  await page.getByLabel('Tax ID Number').fill('123456789');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toContainText('could not be reached');
  await expect(page.getByLabel('Username')).toHaveValue('mjones');
  await expect(page.getByLabel('Tax ID Number')).toHaveValue('123456789');
  const next = page.getByRole('button', { name: 'Next' });
  await expect(next).not.toHaveAttribute('aria-busy', 'true');
  await next.click();
  await expect(heading(page, 'Account Verification')).toBeVisible();
});
