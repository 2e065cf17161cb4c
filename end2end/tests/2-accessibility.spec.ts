// Accessibility, language and the pictures of the quick guide, on the real pages.
//
// One walkthrough, done with the keyboard alone (Tab, Shift+Tab, Enter, Space),
// consolidates mjones from the sign-in page to My accounts. On every page it
// stops at, it checks that focus went to the heading (or to the error summary),
// runs axe-core (WCAG 2.2 AA), checks the page reflows at 320 CSS px, switches
// to Spanish with the language switch (keyboard again), checks the same step
// is shown in Spanish and runs axe again, and switches back. In the `js`
// project it also takes the screenshots in docs/screenshots/<lang>/.
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { latestCode, latestMail, mailAbout } from './mail';
import { DESKTOP, screenshots } from './pictures';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const jsOn = () => test.info().project.use.javaScriptEnabled !== false;

/**
 * axe-core and the reflow check run inside the page, so they need JavaScript.
 * Without JavaScript (the `nojs` project) they check the same address, with
 * the same cookies, in a helper page whose own scripts are blocked: the DOM
 * the server sent, as a browser without JavaScript shows it.
 */
async function withScriptablePage(page: Page, check: (p: Page) => Promise<void>) {
  if (jsOn()) return check(page);
  const browser = page.context().browser()!;
  const helper = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() });
  try {
    await helper.addCookies(await page.context().cookies());
    await helper.route(/\/pkg\/.*\.(js|wasm)$/, (r) => r.abort());
    const copy = await helper.newPage();
    await copy.goto(page.url());
    await check(copy);
  } finally {
    await helper.close();
  }
}

async function axe(page: Page, name: string) {
  await withScriptablePage(page, (p) => axeOn(p, jsOn() ? name : `${name} (no JavaScript)`));
}

async function axeOn(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map(
    (v) => `${name}: ${v.id} (${v.impact}) ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, found.join('\n')).toEqual([]);
}

/** No sideways scrolling at 320 CSS px (WCAG 1.4.10; 1280 px at 400% zoom). */
async function reflows(page: Page, name: string) {
  await withScriptablePage(page, async (p) => {
    const before = p.viewportSize() ?? DESKTOP;
    await p.setViewportSize({ width: 320, height: 800 });
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
    await p.setViewportSize(before);
  });
}

async function shots(page: Page, lang: string, name: string, project: string) {
  if (project !== 'js') return;
  await screenshots(page, lang, name);
}

/** The focused element, described for messages. */
const focused = (page: Page) =>
  !jsOn()
    ? Promise.resolve('(not known without JavaScript)')
    : page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    return e ? `${e.tagName.toLowerCase()}#${e.id} "${(e.textContent || '').trim().slice(0, 40)}"` : 'nothing';
  });

/** Presses Tab (or Shift+Tab) until `selector` has focus; fails after 40 presses. */
async function tabTo(page: Page, selector: string, key = 'Tab') {
  for (let i = 0; i < 40; i++) {
    // The locator engine answers without the page's JavaScript.
    if ((await page.locator(`${selector}:focus`).count()) > 0) {
      if (jsOn()) {
        // The focus must be visible: an outline or a ring (the same CSS serves both projects).
        const style = await page.evaluate(() => {
          const s = getComputedStyle(document.activeElement as Element);
          return { outline: s.outlineStyle, shadow: s.boxShadow };
        });
        expect(style.outline !== 'none' || style.shadow !== 'none', `focus on ${selector} is visible`).toBe(true);
      }
      return;
    }
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached ${selector}; focus is on ${await focused(page)}`);
}

const typeInto = async (page: Page, selector: string, text: string) => {
  await tabTo(page, selector);
  await page.keyboard.type(text);
};

/** Checks where focus landed, then axe, reflow and pictures in English and Spanish. */
async function stop(page: Page, name: string, project: string, focus = '#page-heading') {
  await expect(page.locator(focus)).toBeFocused();
  const path = new URL(page.url()).pathname;
  const english = await page.locator('h1').textContent();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await axe(page, `${name} (en)`);
  await reflows(page, name);
  await shots(page, 'en', name, project);

  // The switch is in the header: Shift+Tab from the heading reaches it.
  await tabTo(page, 'a[hreflang="es"]', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  expect(new URL(page.url()).pathname, 'the switch keeps the place').toBe(path);
  await expect(page.locator('h1')).not.toHaveText(english ?? '');
  await expect(page.locator(focus)).toBeFocused();
  await axe(page, `${name} (es)`);
  await shots(page, 'es', name, project);

  await tabTo(page, 'a[hreflang="en"]', 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.locator('h1')).toHaveText(english ?? '');
  await expect(page.locator(focus)).toBeFocused();
}

test('the whole flow with the keyboard alone, WCAG 2.2 AA on every page, in English and Spanish', async ({ page }, info) => {
  test.setTimeout(240_000);
  const project = info.project.name;
  await page.setViewportSize(DESKTOP);

  // Sign-in page; a wrong login first.
  await page.goto('/');
  await stop(page, 'start', project);
  await typeInto(page, '#username', 'mjones');
  await typeInto(page, '#password', 'not-my-password');
  await page.keyboard.press('Enter');
  await stop(page, 'sign-in-error', project, '#error-summary');
  await expect(page.locator('#password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#username')).toHaveValue('mjones');

  // "click here to continue"
  await tabTo(page, 'a[href="/wizard/lookup"]');
  await page.keyboard.press('Enter');
  await expect(page.getByText('Step 1 of 5')).toBeVisible();
  await stop(page, 'account-lookup', project);

  // A TIN too short: the summary takes focus, the field is marked and keeps its value.
  await typeInto(page, '#username', 'mjones');
  await typeInto(page, '#tin', '12-345');
  await page.keyboard.press('Enter');
  await expect(page.locator('#tin')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#tin')).toHaveValue('12-345');
  await expect(page.locator('#tin')).toHaveAttribute('inputmode', 'numeric');
  await stop(page, 'account-lookup-error', project, '#error-summary');
  // Shift+Tab back from the TIN reaches the username, which kept its value.
  await tabTo(page, '#tin');
  await page.keyboard.press('Shift+Tab');
  await expect(page.locator('#username')).toBeFocused();
  await expect(page.locator('#username')).toHaveValue('mjones');
  await tabTo(page, '#tin');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('12-3456789');
  await page.keyboard.press('Enter');

  await expect(page.getByText('Step 2 of 5')).toBeVisible();
  await expect(page.locator('.steps__item--done')).toHaveCount(1);
  await stop(page, 'account-verification', project);
  await typeInto(page, '#answer', '9024');
  await page.keyboard.press('Enter');

  await expect(page.getByText('Step 3 of 5')).toBeVisible();
  await stop(page, 'email-address-verification', project);
  await expect(page.locator('#email')).toHaveAttribute('autocomplete', 'email');
  const email = `keyboard.${project}.${Date.now()}@example.com`;
  await typeInto(page, '#email', email);
  await typeInto(page, '#verify_email', email);
  const sentAfter = Date.now() - 2000;
  await page.keyboard.press('Enter');

  await expect(page.getByText('Step 4 of 5')).toBeVisible();
  await expect(page.locator('#code')).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(page.locator('#code')).toHaveAttribute('inputmode', 'numeric');
  await expect(page.locator('.lead strong')).toContainText('@example.com');
  await expect(page.getByRole('heading', { name: 'No email from us?' })).toBeVisible();
  await stop(page, 'security-code-verification', project);
  const mail = await latestMail(email, sentAfter);
  expect(mail.subject).toBe('Your Provider Portal verification code');
  const code = await latestCode(email, sentAfter);
  // Pasted with a space in the middle, as some mail programs show it.
  await typeInto(page, '#code', `${code.slice(0, 3)} ${code.slice(3)}`);
  await page.keyboard.press('Enter');

  await expect(page.getByText('Step 5 of 5')).toBeVisible();
  await expect(page.locator('.steps__item--done')).toHaveCount(4);
  await stop(page, 'verify-username-and-password', project);
  await typeInto(page, '#username', 'mjones');
  await typeInto(page, '#password', 'Jones#2018');
  if (project === 'js') {
    // Show password, with Space.
    await tabTo(page, '.show-password button');
    await page.keyboard.press('Space');
    await expect(page.locator('#password')).toHaveAttribute('type', 'text');
    await tabTo(page, '#password', 'Shift+Tab');
  }
  await page.keyboard.press('Enter');

  await stop(page, 'add-another-account', project);
  await tabTo(page, '#finish');
  await page.keyboard.press('Space');

  await expect(page.locator('.panel__username')).toHaveText('mjones');
  await stop(page, 'thank-you', project);
  await tabTo(page, 'a.button--secondary[href="/"]');
  await page.keyboard.press('Enter');

  await typeInto(page, '#username', 'mjones');
  await typeInto(page, '#password', 'Jones#2018');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('cell', { name: 'Farmington Pediatrics', exact: true })).toBeVisible();
  await stop(page, 'my-accounts', project);
  await tabTo(page, 'form[action*="sign_out"] button');
  await page.keyboard.press('Enter');
  await expect(page.getByText('You are signed out.')).toBeVisible();

  // The consolidation's mail carries a "This wasn't me" link. Its page says
  // what a freeze does and asks to confirm; it is not confirmed here.
  const merged = await mailAbout(email, 'under one login', sentAfter);
  const link = merged.text.match(/\/not-me\?token=[0-9a-f]{64}/);
  expect(link, merged.text).not.toBeNull();
  await page.goto(link![0]);
  await expect(page.getByRole('button', { name: 'Freeze the login' })).toBeVisible();
  await stop(page, 'not-me', project);
});

test('pages outside the flow pass axe and reflow, in both languages', async ({ page }) => {
  for (const [path, name] of [
    ['/help', 'help'],
    ['/register', 'register'],
    ['/no-such-page', 'not-found'],
    ['/not-me?token=' + '0'.repeat(64), 'not-me-invalid'],
    ['/not-me/done?ref=AB12CD34', 'not-me-done'],
  ]) {
    for (const lang of ['en', 'es']) {
      await page.goto(`/lang/${lang}?next=${encodeURIComponent(path)}`);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await axe(page, `${name} (${lang})`);
      await reflows(page, name);
    }
  }
  // The quick guide shows our own pages, in the reader's language.
  await page.goto('/lang/en?next=/help');
  const picture = page.locator('#account-lookup img');
  await expect(picture).toHaveAttribute('alt', 'The Account Lookup page, on a phone');
  const src = await picture.getAttribute('src');
  const res = await page.request.get(src!);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/png');
  expect(Number(await picture.getAttribute('width'))).toBe(390);
});

test.describe('a browser that asks for Spanish', () => {
  test.use({ locale: 'es-US' });

  test('gets Spanish pages, errors and mail from Accept-Language', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeVisible();
    await page.getByRole('link', { name: 'haga clic aquí para continuar' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Búsqueda de la cuenta' })).toBeVisible();
    await expect(page.getByText('Paso 1 de 5')).toBeVisible();
    await page.getByLabel('Usuario').fill('mjones');
    await page.getByLabel('Número de identificación fiscal (TIN)').fill('12');
    await page.getByRole('button', { name: 'Siguiente' }).click();
    await expect(page.getByRole('heading', { name: 'Hay un problema' })).toBeVisible();
    await expect(page.getByRole('link', { name: /Escriba un número de identificación fiscal de 9 dígitos/ })).toBeVisible();
    await page.getByRole('button', { name: 'Cancelar' }).click();
    await expect(page.getByText('Canceló la configuración de la cuenta. No se cambió nada.')).toBeVisible();
    // The switch wins over Accept-Language, and is remembered.
    await page.getByRole('link', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await page.goto('/help');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test('forced colours keep focus and buttons visible', async ({ page }) => {
  test.skip(!jsOn(), 'reads computed styles with JavaScript; the CSS is the same without');
  await page.emulateMedia({ forcedColors: 'active' });
  await page.goto('/wizard/lookup');
  await tabTo(page, '#username');
  const outline = await page.locator('#username').evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(outline).toBe('solid');
  const border = await page
    .locator('button.button--primary')
    .evaluate((e) => [getComputedStyle(e).borderTopStyle, getComputedStyle(e).borderTopColor]);
  expect(border[0]).toBe('solid');
  expect(border[1], 'the button has a visible edge').not.toBe('rgba(0, 0, 0, 0)');
  await axe(page, 'account-lookup (forced colours)');
});
