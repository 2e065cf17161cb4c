// The sign-in page's other paths: Register (with a registration code),
// Forgot Username and Forgot Password, and its quick-guide link.
//
// One serial walkthrough per project (each project has its own database, so
// the demo code DEMO-REG1-2026 is used once in each): register Riverside
// Family Practice, sign in and out; get the username by mail; reset the
// password with a mailed code, which also signs out a browser that was signed
// in. An unknown address or username sees the same page as a known one and
// gets no mail. axe-core (WCAG 2.2 AA) runs once on every page of these paths
// and on a page with an error summary.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { latestCode, latestMail } from './mail';
import { DESKTOP, screenshots } from './pictures';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TIN = '45-6789012';
const PRACTICE = 'Riverside Family Practice';
const PAIR = ['Password', 'Confirm Password'];
const NEW_PAIR = ['New Password', 'Confirm New Password'];

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });
const click = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true }).click();
const summary = (page: Page) =>
  page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'There is a problem' }) });
/** Taken just before a click that mails (a mail's Date header counts whole seconds). */
const since = () => Date.now() - 2000;
const settle = () => new Promise((r) => setTimeout(r, 1500));

/** The h1, the path (query left aside) and the buttons of the page we are on. */
async function at(page: Page, path: string, name: string, buttons: string[] = []) {
  await expect(heading(page, name)).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(path);
  for (const b of buttons) await expect(page.getByRole('button', { name: b, exact: true })).toBeVisible();
}

/** The error summary is shown and links to the field, which is marked invalid. */
async function fieldError(page: Page, label: string, message?: RegExp) {
  await expect(summary(page)).toBeVisible();
  const input = field(page, label);
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(summary(page).locator(`a[href="#${await input.getAttribute('id')}"]`)).toBeVisible();
  if (message) await expect(summary(page)).toContainText(message);
}

async function choose(page: Page, [first, second]: string[], button: string, password: string, confirm = password) {
  await field(page, first).fill(password);
  await field(page, second).fill(confirm);
  await click(page, button);
}

/** A password pair that must be refused, with the error on `errorOn`; neither secret is kept. */
async function refused(page: Page, pair: string[], button: string, password: string, confirm: string, errorOn: string, message?: RegExp) {
  await choose(page, pair, button, password, confirm);
  await fieldError(page, errorOn, message);
  for (const label of pair) await expect(field(page, label)).toHaveValue('');
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/');
  await field(page, 'Username').fill(username);
  await field(page, 'Password').fill(password);
  await click(page, 'Login');
}

/** The text of <main>, with addresses and numbers (a countdown) blanked, to compare two pages. */
async function mainText(page: Page) {
  return (await page.locator('main').innerText()).replace(/\S+@\S+/g, '<address>').replace(/\d+/g, '#');
}

type Mail = Awaited<ReturnType<typeof latestMail>>;

/** Every mail in maildev, or those to `address`. */
async function mails(address?: string): Promise<Mail[]> {
  const all = (await (await fetch('http://127.0.0.1:1080/email')).json()) as Mail[];
  if (!address) return all;
  return all.filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()));
}

/** Waits until the newest mail to `address` since `notBefore` matches `re` (subject or text). */
async function mailMatching(address: string, notBefore: number, re: RegExp) {
  for (let i = 0; i < 50; i++) {
    const mail = await latestMail(address, notBefore);
    if (re.test(`${mail.subject}\n${mail.text}`)) return mail;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${address} matching ${re}`);
}

/**
 * axe-core, as in 2-accessibility.spec.ts. Without JavaScript, the HTML shown is
 * served again at its address to a helper page that may run scripts (ours
 * blocked): a page that answered a POST is checked as shown, with no new request.
 */
async function axe(page: Page, name: string) {
  if (test.info().project.use.javaScriptEnabled !== false) return axeOn(page, name);
  const url = page.url().split('#')[0];
  const html = await page.content();
  const helper = await page.context().browser()!.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    await helper.route((u) => u.href === url, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: html }));
    await helper.route(/\/pkg\/.*\.(js|wasm)$/, (r) => r.abort());
    const copy = await helper.newPage();
    await copy.goto(url);
    await axeOn(copy, `${name} (no JavaScript)`);
  } finally {
    await helper.close();
  }
}

async function axeOn(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map(
    (v) => `${name}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, found.join('\n')).toEqual([]);
}

/**
 * With JavaScript only: no sideways scrolling at 320 CSS px (WCAG 1.4.10), and
 * the page's pictures in English and Spanish for docs/screenshots and the quick
 * guide (taken before anything is typed, so they do not change from run to run).
 */
async function shot(page: Page, name: string) {
  if (test.info().project.name !== 'js') return;
  const size = page.viewportSize() ?? DESKTOP;
  // In English, then in Spanish through the page's own switch, which keeps the
  // place (the same address), and back.
  const path = new URL(page.url()).pathname;
  for (const [lang, other] of [['en', 'es'], ['es', 'en']]) {
    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} (${lang}) scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
    await screenshots(page, lang, name);
    await page.locator(`a[hreflang="${other}"]`).click();
    await expect(page.locator('html')).toHaveAttribute('lang', other);
    expect(new URL(page.url()).pathname, `${name}: the language switch keeps the place`).toBe(path);
  }
  await page.setViewportSize(size);
}

test('the quick guide link on the sign-in page opens its registration section', async ({ page }) => {
  await page.goto('/');
  await link(page, 'view our quick guide');
  await expect(page).toHaveURL(/\/help#registration$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Registering with a registration code' })).toBeVisible();
});

test.describe.serial('register, forgot username, forgot password', () => {
  let username = '';
  let email = '';
  const password = 'Riverside clinic front desk 7';
  const newPassword = 'Riverside reception desk 2027';
  let unknownCodePage = '';

  test('a registration code creates a login for its practice, which signs in and out', async ({ page }, info) => {
    test.setTimeout(120_000);
    username = `riverside-${info.project.name}`;
    email = `reg.${info.project.name}.${Date.now()}@example.com`;

    await page.goto('/');
    await link(page, 'Register');
    await at(page, '/register', 'Register', ['Next', 'Cancel']);
    await axe(page, 'register');
    await shot(page, 'registration');
    await field(page, 'Registration Code').fill('AAAA-BBBB-CCCC');
    await field(page, 'Tax ID Number').fill(TIN);
    await click(page, 'Next');
    await expect(heading(page, 'Register')).toBeVisible();
    await fieldError(page, 'Registration Code');
    // A valid full TIN is never sent back (as in Account Lookup); only a
    // TIN typed wrong is kept, to be fixed.
    await expect(field(page, 'Tax ID Number')).toHaveValue('');
    await axe(page, 'register (error summary)');
    // Lower case, with dashes: the code is read leniently.
    await field(page, 'Registration Code').fill('demo-reg1-2026');
    await field(page, 'Tax ID Number').fill(TIN);
    await click(page, 'Next');

    await at(page, '/register/account', 'Create Your Login', ['Next', 'Cancel']);
    await expect(page.getByText(PRACTICE).first()).toBeVisible();
    await expect(page.getByText(/9012\b/).first()).toBeVisible();
    await expect(page.locator('main')).not.toContainText(/45-?6789012/);
    await axe(page, 'register-account');
    await shot(page, 'create-your-login');
    await field(page, 'Username').fill('mjones');
    await field(page, 'Email').fill(email);
    await field(page, 'Verify Email').fill(email);
    await click(page, 'Next');
    await fieldError(page, 'Username');
    await expect(field(page, 'Email')).toHaveValue(email);
    await expect(field(page, 'Verify Email')).toHaveValue(email);
    await field(page, 'Username').fill(username);
    const sent = since();
    await click(page, 'Next');

    await at(page, '/register/code', 'Security Code Verification', ['Next', 'Previous', 'Request New Code', 'Cancel']);
    await axe(page, 'register-code');
    await field(page, 'Verification Code').fill('000000');
    await click(page, 'Next');
    await fieldError(page, 'Verification Code');
    await field(page, 'Verification Code').fill(await latestCode(email, sent));
    await click(page, 'Next');

    await at(page, '/register/password', 'Choose a Password', ['Create Account', 'Cancel']);
    await axe(page, 'register-password');
    await shot(page, 'choose-a-password');
    await refused(page, PAIR, 'Create Account', 'password123', 'password123', 'Password', /common/i);
    const withName = `Front desk ${username} 2026`;
    await refused(page, PAIR, 'Create Account', withName, withName, 'Password', /username/i);
    await refused(page, PAIR, 'Create Account', 'short', 'short', 'Password', /8 characters/);
    await refused(page, PAIR, 'Create Account', password, `${password}!`, 'Confirm Password');
    await choose(page, PAIR, 'Create Account', password);

    await at(page, '/register/done', 'Registration Complete');
    await expect(page.getByText(username).first()).toBeVisible();
    await axe(page, 'register-done');
    await shot(page, 'registration-complete');
    await link(page, 'Go to sign in');
    await expect(heading(page, 'Sign in')).toBeVisible();

    await signIn(page, username, password);
    await at(page, '/accounts', 'My accounts', ['Sign out']);
    await expect(page.getByRole('cell', { name: PRACTICE, exact: true })).toBeVisible();
    await click(page, 'Sign out');
    await expect(heading(page, 'Sign in')).toBeVisible();
  });

  test('Forgot Username mails the username; an unknown address sees the same page and gets nothing', async ({ page }, info) => {
    await page.goto('/');
    await link(page, 'Forgot Username');
    await at(page, '/forgot-username', 'Forgot Username', ['Next', 'Cancel']);
    await axe(page, 'forgot-username');
    await shot(page, 'forgot-username');
    await field(page, 'Email').fill('not-an-email');
    await click(page, 'Next');
    await fieldError(page, 'Email');
    await expect(field(page, 'Email')).toHaveValue('not-an-email');

    await field(page, 'Email').fill(email);
    const sent = since();
    await click(page, 'Next');
    await at(page, '/forgot-username/sent', 'Check Your Email');
    await expect(page.getByRole('link', { name: 'Back to sign in' })).toBeVisible();
    await axe(page, 'forgot-username-sent');
    const known = await mainText(page);
    await mailMatching(email, sent, new RegExp(username));

    const nobody = `nobody.${info.project.name}.${Date.now()}@example.com`;
    await page.goto('/forgot-username');
    await field(page, 'Email').fill(nobody);
    await click(page, 'Next');
    await at(page, '/forgot-username/sent', 'Check Your Email');
    expect(await mainText(page)).toBe(known);
    await settle();
    expect(await mails(nobody)).toHaveLength(0);
  });

  test('Forgot Password with an unknown username looks the same and mails nothing; Cancel goes back', async ({ page }, info) => {
    await page.goto('/');
    await link(page, 'Forgot Password');
    await at(page, '/forgot-password', 'Forgot Password', ['Next', 'Cancel']);
    await axe(page, 'forgot-password');
    await shot(page, 'forgot-password');
    await field(page, 'Username').fill(`nobody-${info.project.name}-${Date.now()}`);
    const before = (await mails()).length;
    await click(page, 'Next');
    await at(page, '/forgot-password/code', 'Security Code Verification', ['Next', 'Request New Code', 'Cancel']);
    unknownCodePage = await mainText(page);
    await settle();
    expect((await mails()).length, 'no mail for an unknown username').toBe(before);
    await click(page, 'Cancel');
    await at(page, '/', 'Sign in');
  });

  test('Forgot Password resets with a mailed code and signs out a browser signed in before', async ({ page, browser }, info) => {
    test.setTimeout(120_000);
    const { baseURL, javaScriptEnabled } = info.project.use;
    const other = await browser.newContext({ baseURL, javaScriptEnabled });
    try {
      const elsewhere = await other.newPage();
      await signIn(elsewhere, username, password);
      await at(elsewhere, '/accounts', 'My accounts');

      await page.goto('/');
      await link(page, 'Forgot Password');
      // The page has changed (in place, with JavaScript) before its field is filled.
      await at(page, '/forgot-password', 'Forgot Password', ['Next', 'Cancel']);
      await field(page, 'Username').fill(username);
      const sent = since();
      await click(page, 'Next');
      await at(page, '/forgot-password/code', 'Security Code Verification', ['Next', 'Request New Code', 'Cancel']);
      expect(await mainText(page), 'the same page as for an unknown username').toBe(unknownCodePage);
      await axe(page, 'forgot-password-code');
      await field(page, 'Verification Code').fill(await latestCode(email, sent));
      await click(page, 'Next');

      await at(page, '/forgot-password/new', 'Choose a New Password', ['Save Password', 'Cancel']);
      await axe(page, 'forgot-password-new');
      await shot(page, 'choose-a-new-password');
      await refused(page, NEW_PAIR, 'Save Password', 'password123', 'password123', 'New Password', /common/i);
      const changed = since();
      await choose(page, NEW_PAIR, 'Save Password', newPassword);
      await at(page, '/', 'Sign in');
      await expect(page.getByRole('status').filter({ hasText: 'Your password was changed' })).toBeVisible();
      await mailMatching(email, changed, /password was changed/i);

      // The other browser's session ended with the reset.
      await elsewhere.reload();
      await expect(heading(elsewhere, 'Sign in')).toBeVisible();

      await signIn(page, username, password);
      await expect(summary(page)).toBeVisible();
      await expect(heading(page, 'Sign in')).toBeVisible();
      await signIn(page, username, newPassword);
      await at(page, '/accounts', 'My accounts');
    } finally {
      await other.close();
    }
  });
});
