// The operators' console, with and without JavaScript: an admin added by
// `provider-portal operator add` opens the enrolment link it prints, adds
// the account to an "authenticator" (this test computes RFC 6238 codes from
// the key the page shows), chooses a password, signs in with a fresh code,
// sees the migration's progress and signs out. axe-core checks every
// console page in English and Spanish.
import { test, expect, Page } from '@playwright/test';
import { latestCode, mailAbout } from './mail';
import { DESKTOP, screenshots } from './pictures';
import { axe, base32, jsOn, totp } from './checks';
import { OPS_PASSWORD, addOperator, portal, sql, stepNow } from './ops';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const PASSWORD = OPS_PASSWORD;

/**
 * The table headings (column and row) shown on the page that are broken
 * inside a word, or that overflow their cell: each word of a heading must
 * sit on one line (its text's boxes all on one line). A hyphen is a word's
 * end ("lockme-js" may break after "lockme-", as text does).
 */
async function brokenHeadings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const th of Array.from(document.querySelectorAll('th'))) {
      if (th.closest('.visually-hidden') || th.getClientRects().length === 0) continue;
      if (th.scrollWidth > th.clientWidth + 1) broken.push(`${th.textContent} (overflows)`);
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        for (const m of Array.from(text.matchAll(/[^\s-]+/g))) {
          const r = document.createRange();
          r.setStart(n, m.index!);
          r.setEnd(n, m.index! + m[0].length);
          const lines = new Set(Array.from(r.getClientRects()).filter((b) => b.width > 0).map((b) => Math.round(b.top)));
          if (lines.size > 1) broken.push(`${m[0]} in "${th.textContent}"`);
        }
      }
    }
    return broken;
  });
}

/** At desktop width, no table heading is broken inside a word. */
async function headingsWhole(page: Page, name: string) {
  const broken = await brokenHeadings(page);
  expect(broken, `${name}: headings broken inside a word: ${broken.join('; ')}`).toEqual([]);
}

/** axe and whole headings on the page shown, then on the same page in Spanish, then back in English. */
async function axeBothLanguages(page: Page, name: string, spanishHeading: RegExp) {
  await axe(page, `${name} (en)`);
  await headingsWhole(page, `${name} (en)`);
  const here = new URL(page.url());
  await page.goto(`/lang/es?next=${encodeURIComponent(here.pathname + here.search)}`);
  await expect(page.locator('h1')).toHaveText(spanishHeading);
  await axe(page, `${name} (es)`);
  await headingsWhole(page, `${name} (es)`);
  await page.goto(`/lang/en?next=${encodeURIComponent(here.pathname + here.search)}`);
}

/** The width of the page's main column, in CSS pixels. */
const mainWidth = (page: Page) => page.locator('#main').evaluate((m) => m.getBoundingClientRect().width);

test('an admin added by the command enrols, signs in with a TOTP code, sees progress and signs out', async ({ page }) => {
  test.setTimeout(300_000);
  const username = `ana.ops.${jsOn() ? 'js' : 'nojs'}`;
  const link = addOperator(username, 'admin');
  // Operators read tables on wide screens.
  await page.setViewportSize(DESKTOP);

  // Without a session the console is its sign-in page: a browser is sent
  // there, and so is any other client (one that accepts */* was answered
  // 200 "Migration progress"), with a page titled as the sign-in.
  for (const path of ['/ops', '/ops/audit']) {
    const res = await page.request.get(path, { maxRedirects: 0, headers: { accept: '*/*' } });
    expect(res.status(), path).toBe(302);
    expect(res.headers()['location'], path).toBe('/ops/sign-in');
    expect(await res.text(), path).toMatch(/<title>[^<]*console: sign in[^<]*<\/title>/);
  }
  await page.goto('/ops');
  await expect(page).toHaveURL(/\/ops\/sign-in$/);
  await expect(page.locator('h1')).toHaveText("Operators' console: sign in");
  await expect(page).toHaveTitle(/console: sign in/);
  await axeBothLanguages(page, 'console sign-in', /Consola de operadores/);

  // Enrolment: the QR code and the key, a password, the first code.
  await page.goto(link);
  await expect(page.locator('h1')).toHaveText('Set up your console account');
  await expect(page.locator('.qr svg')).toBeVisible();
  await axeBothLanguages(page, 'console enrolment', /Configure su cuenta/);
  const seed = base32((await page.locator('code.seed').textContent())!);
  await page.getByLabel('New Password').fill(PASSWORD);
  await page.getByLabel('Confirm Password').fill(PASSWORD);
  // A wrong code first: said beside the field, the page kept.
  const enrolStep = stepNow();
  const right = totp(seed, enrolStep);
  const wrong = ((Number(right) + 1) % 1_000_000).toString().padStart(6, '0');
  await page.getByLabel('Code from your authenticator app').fill(wrong);
  await page.getByRole('button', { name: 'Finish setting up' }).click();
  await expect(page.locator('#error-summary')).toContainText('That code is not right');
  await axe(page, 'console enrolment with an error');
  await page.getByLabel('New Password').fill(PASSWORD);
  await page.getByLabel('Confirm Password').fill(PASSWORD);
  await page.getByLabel('Code from your authenticator app').fill(totp(seed, stepNow()));
  await page.getByRole('button', { name: 'Finish setting up' }).click();
  await expect(page).toHaveURL(/\/ops\/sign-in\?notice=enrolled$/);
  await expect(page.getByRole('status')).toContainText('Your console account is ready');

  // The code that enrolled is spent: wait for the authenticator's next one.
  const spent = stepNow();
  await expect.poll(stepNow, { timeout: 35_000, intervals: [500] }).toBeGreaterThan(spent);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Code from your authenticator app').fill(totp(seed, stepNow()));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/ops$/);
  await expect(page.locator('h1')).toHaveText('Migration progress');
  await expect(page.getByText(`Signed in to the console as ${username} (admin).`)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Old accounts by old portal' })).toBeVisible();
  // No consolidation yet on this server (this spec run alone): said in
  // words, not an empty chart with a lone "1" on its axis.
  if ((await page.getByText('Old accounts consolidated in the last 30 days: 0.').count()) > 0) {
    await expect(page.getByText(/No old account has been consolidated in the last 30 days/)).toBeVisible();
    await expect(page.locator('svg.chart')).toHaveCount(0);
  }
  // The console's own layout: its column is as wide as the screen allows,
  // where the provider's pages keep a narrow one.
  const consoleWidth = await mainWidth(page);
  const providerPage = await page.context().newPage();
  await providerPage.setViewportSize(DESKTOP);
  await providerPage.goto('/');
  const providerWidth = await mainWidth(providerPage);
  await providerPage.close();
  expect(consoleWidth, `console ${consoleWidth}px, provider pages ${providerWidth}px`).toBeGreaterThan(providerWidth * 1.5);
  expect(consoleWidth).toBeGreaterThanOrEqual(DESKTOP.width - 80);
  await axeBothLanguages(page, 'console progress', /Avance de la migración/);
  await screenshots(page, 'en', 'console-progress');

  // A provider of an old account loaded by `import` locks it with five wrong answers.
  const who = `lockme-${jsOn() ? 'js' : 'nojs'}`;
  const file = path.join(os.tmpdir(), `${who}.csv`);
  // And one whose provider knows neither answer nor PIN (a support code, below).
  const forgetful = `forgetful-${jsOn() ? 'js' : 'nojs'}`;
  fs.writeFileSync(file, `source,legacy_id,username,tins,practice,role,question,answer,pin,password\ne2e-portal,${who},${who},912345678,Lock Test Clinic,Front desk,What was your first car?,Civic,2718,Lock#test2019\ne2e-portal,${forgetful},${forgetful},923456789,Forgetful Clinic,Front desk,What was your first car?,Civic,2718,Lock#test2019\n`);
  portal(['import', file]);
  const provider = await page.context().browser()!.newContext({ javaScriptEnabled: jsOn() });
  const p = await provider.newPage();
  await p.goto(test.info().project.use.baseURL + '/wizard/lookup');
  await p.getByLabel('Username').fill(who);
  await p.getByLabel('Tax ID Number').fill('912345678');
  await p.getByRole('button', { name: 'Next' }).click();
  for (let i = 0; i < 5; i++) {
    await p.getByLabel('What was your first car?').fill('Lada');
    await p.getByRole('button', { name: 'Next' }).click();
    // Each answer is sent and refused before the next is typed (the page
    // comes back with the field empty: answers are never kept).
    await expect(p.locator('#error-summary')).toBeVisible();
    await expect(p.getByLabel('What was your first car?')).toHaveValue('');
  }
  // A locked step reads as wrong to the provider; the database says locked.
  expect(sql(`SELECT COUNT(*) FROM legacy_accounts WHERE username = '${who}' AND answer_locked_until > 0`)).toBe(1);

  // Support (here, the admin) lifts the lock with a reason.
  await page.getByRole('link', { name: 'Locks in force' }).click();
  await expect(page.locator('h1')).toHaveText('Locks in force');
  await axeBothLanguages(page, 'console locks', /Bloqueos vigentes/);
  const row = page.getByRole('row', { name: new RegExp(who) });
  await row.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.locator('#error-summary')).toContainText('Give the reason for this action.');
  await page.getByRole('row', { name: new RegExp(who) }).getByLabel(/Reason/).fill('caller checked by the e2e procedure');
  await page.getByRole('row', { name: new RegExp(who) }).getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('status')).toContainText('The lock was lifted');
  // The provider gets through with the right answer.
  await p.getByLabel('What was your first car?').fill('Civic');
  await p.getByRole('button', { name: 'Next' }).click();
  await expect(p.locator('h1')).toHaveText(/Email Address Verification/);
  await provider.close();

  // The audit trail: the unlock is there, and Export CSV gives the events of the search.
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByLabel('Action').fill('ops/unlock');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('table')).toContainText('caller checked by the e2e procedure');
  await axeBothLanguages(page, 'console audit', /Registro de auditoría/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toBe('id,time_utc,action,outcome,repeats,address,legacy_account_id,flow_id,operator,target,reason');
  expect(csv.length - 1).toBe(sql("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'ops/unlock%'"));
  expect(csv.slice(1).every((l) => l.split(',')[2] === 'ops/unlock')).toBe(true);

  // Find the provider's old account: it is now in a wizard.
  await page.getByRole('link', { name: 'Find an account' }).click();
  await page.getByLabel('Username or Tax ID Number (TIN)').fill(who);
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('heading', { name: `Old account ${who}` })).toBeVisible();
  await expect(page.getByText(/In a wizard at step/)).toBeVisible();
  await axeBothLanguages(page, 'console find', /Buscar una cuenta/);
  await screenshots(page, 'en', 'console-find');
  // By TIN: only the masked TIN is shown, and the address holds no digits of it.
  await page.getByLabel('Username or Tax ID Number (TIN)').fill('91-2345678');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByText('***-**-5678').first()).toBeVisible();
  expect(page.url()).not.toContain('2345678');

  // A support code for a provider who knows neither answer nor PIN: issued
  // from Find with a reason, shown once, typed at Account Verification.
  await page.getByLabel('Username or Tax ID Number (TIN)').fill(forgetful);
  await page.getByRole('button', { name: 'Find' }).click();
  // Nothing recorded for it yet: its trail says so, not a table of headings.
  await expect(page.getByText('Its audit trail is empty: nothing has been recorded for this account yet.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Its audit trail, newest first' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Issue a support code' }).click();
  await expect(page.locator('#error-summary')).toContainText('Give the reason for this action.');
  await page.getByLabel(/Reason/).fill('caller checked by callback');
  await page.getByRole('button', { name: 'Issue a support code' }).click();
  await expect(page).toHaveURL(/\/ops\/shown$/);
  const supportCode = (await page.locator('.shown-code').textContent())!.trim();
  expect(supportCode).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await axe(page, 'console code shown once');
  await page.reload();
  await expect(page.getByText('There is nothing to show.')).toBeVisible();
  expect(sql(`SELECT COUNT(*) FROM support_codes WHERE used_at IS NULL`)).toBe(1);
  // Progress before the provider consolidates (other specs ran on this server too).
  await page.goto('/ops');
  const consolidated = async () =>
    Number((await page.getByText(/Old accounts consolidated in the last 30 days: \d+\./).textContent())!.match(/(\d+)\./)![1]);
  const before = await consolidated();
  const caller = await page.context().browser()!.newContext({ javaScriptEnabled: jsOn() });
  const c = await caller.newPage();
  await c.goto(test.info().project.use.baseURL + '/wizard/lookup');
  await c.getByLabel('Username').fill(forgetful);
  await c.getByLabel('Tax ID Number').fill('923456789');
  await c.getByRole('button', { name: 'Next' }).click();
  await expect(c.getByRole('heading', { name: "Can't answer the question?" })).toBeVisible();
  await c.getByLabel('What was your first car?').fill(supportCode.toLowerCase());
  await c.getByRole('button', { name: 'Next' }).click();
  await expect(c.locator('h1')).toHaveText(/Email Address Verification/);
  // ... and consolidates in that other browser; Progress follows.
  const email = `${forgetful}@example.com`;
  await c.getByLabel('Email', { exact: true }).fill(email);
  await c.getByLabel('Verify Email').fill(email);
  const sentAfter = Date.now() - 2000;
  await c.getByRole('button', { name: 'Next' }).click();
  await expect(c.locator('h1')).toHaveText(/Security Code Verification/);
  await c.getByLabel('Verification Code').fill(await latestCode(email, sentAfter));
  await c.getByRole('button', { name: 'Next' }).click();
  await expect(c.locator('h1')).toHaveText(/Verify Username and Password/);
  await c.getByLabel('Username').fill(forgetful);
  await c.getByLabel('Password', { exact: true }).fill('Lock#test2019');
  await c.getByRole('button', { name: 'Submit' }).click();
  await c.getByRole('button', { name: 'Finish' }).click();
  await expect(c.locator('h1')).toHaveText(/Thank You/);
  await caller.close();
  await page.reload();
  expect(await consolidated()).toBe(before + 1);
  await page.goto('/ops/find');
  expect(sql(`SELECT COUNT(*) FROM audit_events WHERE action = 'verify_security_answer' AND outcome = 'ok: support code'`)).toBe(1);

  // Registration codes: issue one (shown once), see it listed.
  await page.getByRole('link', { name: 'Registration codes', exact: true }).click();
  await expect(page.locator('h1')).toHaveText('Registration codes');
  await axeBothLanguages(page, 'console registration codes', /Códigos de registro/);
  await page.getByLabel('Tax ID Number').fill('93-4567890');
  await page.getByLabel('Practice', { exact: true }).fill('E2E Clinic');
  await page.locator('#code-reason').fill('new practice by e2e');
  await page.getByRole('button', { name: 'Issue the code' }).click();
  await expect(page).toHaveURL(/\/ops\/shown$/);
  await expect(page.locator('.shown-code')).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await page.getByRole('link', { name: 'Back to Registration codes' }).click();
  await expect(page.getByRole('row', { name: /E2E Clinic/ })).toContainText('Live');

  // Operators (admin): the page, in both languages.
  await page.getByRole('link', { name: 'Operators', exact: true }).click();
  await expect(page.getByRole('row', { name: new RegExp(username.replace(/\./g, '\\.')) })).toContainText('Enrolled');
  await axeBothLanguages(page, 'console operators', /Operadores/);

  // Stuck: the page and its form, in both languages.
  await page.getByRole('link', { name: 'Stuck' }).click();
  await expect(page.locator('h1')).toHaveText('Stuck');
  await page.getByLabel('Idle for at least (minutes)').fill('1');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/ops\/stuck\?minutes=1$/);
  await axeBothLanguages(page, 'console stuck', /Detenidos/);

  // Outbox: the mail waiting or failed (none, or some, depending on what
  // the other specs' mail did), in both languages.
  await page.getByRole('link', { name: 'Outbox' }).click();
  await expect(page.locator('h1')).toHaveText('Outbox');
  await expect(page.getByText(/Every mail the portal sends is written here first/)).toBeVisible();
  await axeBothLanguages(page, 'console outbox', /Bandeja de salida/);

  // Closing dates (admin): the demo accounts' old portal gets a last day 20
  // days on (a typed mistake first, said and kept); the sign-in page then
  // names it to providers, with a link into the wizard.
  await page.getByRole('link', { name: 'Closing dates' }).click();
  await expect(page.locator('h1')).toHaveText('Closing dates');
  await expect(page.getByRole('row', { name: /provider-portal-2012/ })).toContainText('No date');
  await page.getByLabel('Old portal').selectOption('provider-portal-2012');
  await page.getByLabel('Name providers know it by').fill('Provider Portal 2012');
  await page.getByLabel('Last day it works').fill('next month');
  await page.locator('#closing-reason').fill('retired by e2e');
  await page.getByRole('button', { name: 'Save the closing date' }).click();
  await expect(page.locator('#error-summary')).toContainText('Enter the day as YYYY-MM-DD');
  await expect(page.getByLabel('Name providers know it by')).toHaveValue('Provider Portal 2012');
  await axeBothLanguages(page, 'console closing dates with an error', /Fechas de cierre/);
  const last = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel('Last day it works').fill(last);
  await page.getByRole('button', { name: 'Save the closing date' }).click();
  await expect(page.getByRole('status')).toContainText('The closing date is saved.');
  await expect(page.getByRole('row', { name: /provider-portal-2012/ })).toContainText(`${last} (20 days left)`);
  await axeBothLanguages(page, 'console closing dates', /Fechas de cierre/);
  const reader = await page.context().browser()!.newContext({ javaScriptEnabled: jsOn() });
  const front = await reader.newPage();
  await front.goto(test.info().project.use.baseURL + '/');
  const closing = front.getByRole('region', { name: 'Old portals closing soon' });
  await expect(closing).toContainText('Your old Provider Portal 2012 account works until');
  await axe(front, 'sign-in page with a closing date');
  await screenshots(front, 'en', 'sign-in-closing');
  await closing.getByRole('link', { name: 'move it now' }).click();
  await expect(front.locator('h1')).toHaveText('Account Lookup');
  await reader.close();
  // Removed again, so that the other specs' pictures stay as they were.
  await page.locator('#remove-1').fill('e2e done');
  await page.getByRole('button', { name: 'Remove the date' }).click();
  await expect(page.getByRole('status')).toContainText('The closing date is removed.');
  expect(sql(`SELECT COUNT(*) FROM audit_events WHERE action IN ('ops/closing_set', 'ops/closing_remove')`)).toBeGreaterThanOrEqual(2);

  // "This wasn't me": an old account loaded by `import` is consolidated;
  // the link in the confirmation freezes the login; support undoes the
  // consolidation in the console; the owner consolidates it again.
  const victim = `notme-${jsOn() ? 'js' : 'nojs'}`;
  const victimFile = path.join(os.tmpdir(), `${victim}.csv`);
  fs.writeFileSync(victimFile, `source,legacy_id,username,tins,practice,role,question,answer,pin,password\ne2e-portal,${victim},${victim},934567890,Not Me Clinic,Front desk,What was your first car?,Civic,2718,Notme#test2019\n`);
  portal(['import', victimFile]);
  const owner = await page.context().browser()!.newContext({ javaScriptEnabled: jsOn() });
  const v = await owner.newPage();
  const consolidate = async (email: string) => {
    await v.goto(test.info().project.use.baseURL + '/wizard/lookup');
    await v.getByLabel('Username').fill(victim);
    await v.getByLabel('Tax ID Number').fill('934567890');
    await v.getByRole('button', { name: 'Next' }).click();
    await v.getByLabel('What was your first car?').fill('civic');
    await v.getByRole('button', { name: 'Next' }).click();
    await v.getByLabel('Email', { exact: true }).fill(email);
    await v.getByLabel('Verify Email').fill(email);
    const after = Date.now() - 2000;
    await v.getByRole('button', { name: 'Next' }).click();
    await v.getByLabel('Verification Code').fill(await latestCode(email, after));
    await v.getByRole('button', { name: 'Next' }).click();
    await v.getByLabel('Username').fill(victim);
    await v.getByLabel('Password', { exact: true }).fill('Notme#test2019');
    await v.getByRole('button', { name: 'Submit' }).click();
    await v.getByRole('button', { name: 'Finish' }).click();
    await expect(v.getByRole('heading', { level: 1, name: 'Thank You' })).toBeVisible();
    const mail = await mailAbout(email, 'under one login', after);
    const link = mail.text.match(/\/not-me\?token=[0-9a-f]{64}/);
    if (!link) throw new Error(`no not-me link in "${mail.subject}": ${mail.text}`);
    return link[0];
  };
  const notMe = await consolidate(`${victim}@example.com`);
  await v.goto(test.info().project.use.baseURL + notMe);
  await expect(v.locator('h1')).toHaveText("This wasn't me");
  await v.getByRole('button', { name: 'Freeze the login' }).click();
  await expect(v.locator('h1')).toHaveText('The login is frozen');
  const reference = (await v.getByText(/Your support reference/).textContent())!.match(/[A-Z0-9]{8}/)![0];
  await v.getByRole('link', { name: 'Go to the sign-in page' }).click();
  await v.getByLabel('Username').fill(victim);
  await v.getByLabel('Password').fill('Notme#test2019');
  await v.getByRole('button', { name: 'Login' }).click();
  await expect(v.getByText(/This login is frozen/).first()).toContainText(reference);

  await page.getByRole('link', { name: 'Cases' }).click();
  await expect(page.locator('h1')).toHaveText('Cases');
  const caseSection = page.locator('section.case', { hasText: reference });
  await expect(caseSection).toContainText('Open: the login is frozen');
  // The consolidation's trail is on the case: each step, its outcome, its address.
  const trail = caseSection.getByRole('table', { name: /How it was consolidated/ });
  await expect(trail).toContainText('verify_legacy_password');
  await expect(trail).toContainText('merged');
  await axeBothLanguages(page, 'console cases', /Casos/);
  await screenshots(page, 'en', 'console-cases');
  await caseSection.getByLabel('Reason').fill('The owner called; not them');
  await caseSection.getByRole('button', { name: 'Undo the consolidation' }).click();
  await expect(page).toHaveURL(/\/ops\/cases\?notice=case-undone$/);
  await expect(page.locator('section.case', { hasText: reference })).toContainText('Consolidation undone');
  expect(sql(`SELECT COUNT(*) FROM legacy_accounts WHERE username = '${victim}' AND consolidated_into IS NULL`)).toBe(1);
  // The owner moves the account again, with its old credentials.
  await consolidate(`${victim}.again@example.com`);
  expect(sql(`SELECT COUNT(*) FROM legacy_accounts WHERE username = '${victim}' AND consolidated_into IS NOT NULL`)).toBe(1);
  await owner.close();

  // Sign out: back to the sign-in page, and /ops is closed again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/ops\/sign-in\?notice=signed-out$/);
  await page.goto('/ops');
  await expect(page).toHaveURL(/\/ops\/sign-in$/);
});
