// Invitation campaigns (issue 32), with and without JavaScript: support
// creates a campaign and reads its mail on the page (both languages, axe
// clean), sends a test, starts it; the provider opens the link in the
// mail maildev received, finds the username already in Account Lookup and
// moves the account; the campaign's figures count the wizard begun from
// the link and the account moved; the mail's one-click unsubscribe works
// with no session at all, and the campaign, with nothing more due, ends.
import { test, expect } from '@playwright/test';
import { latestCode, mailAbout } from './mail';
import { axe, axeBothLanguages, jsOn } from './checks';
import { screenshots } from './pictures';
import { operatorSignedIn, portal, sql } from './ops';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

test('support runs a campaign; a provider moves the account from its link; one click unsubscribes', async ({ page, browser }) => {
  test.setTimeout(300_000);
  const run = jsOn() ? 'js' : 'nojs';
  const source = `e2e-campaign-${run}`;
  const user = `invited-${run}`;
  const address = `invited-${run}@clinic.example`;
  // The page's notice (an empty table says so in a status of its own).
  const notice = () => page.locator('div.notice[role="status"]');
  const file = path.join(os.tmpdir(), `${source}.csv`);
  fs.writeFileSync(
    file,
    `source,legacy_id,username,tins,practice,role,email,question,answer,pin,password\n` +
      `${source},1,${user},945678901,Invited Clinic,Front desk,${address},What was your first car?,Civic,2718,Invite#e2e2026\n`,
  );
  portal(['import', file]);

  await operatorSignedIn(page, `sam.ops.${run}`, 'support');
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await expect(page.locator('h1')).toHaveText('Campaigns');
  // A rate typed wrong: said beside the field, the rest kept.
  await page.getByLabel('Name').fill(`Invite ${run}`);
  await page.getByLabel('Old portal').selectOption(source);
  await page.getByLabel('Mails per hour').fill('fast');
  await page.getByLabel('Reminders (days after the invitation)').fill('7, 21');
  await page.locator('#campaign-reason').fill('e2e wave');
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await expect(page.locator('#error-summary')).toContainText('Enter the mails per hour');
  await expect(page.getByLabel('Name')).toHaveValue(`Invite ${run}`);
  await axeBothLanguages(page, 'campaigns with an error', /Campañas/);
  await page.getByLabel('Mails per hour').fill('3600');
  await page.locator('#campaign-reason').fill('e2e wave');
  await page.getByRole('button', { name: 'Create the draft' }).click();
  await expect(notice()).toContainText('created as a draft');
  // The mail as the provider will read it: the account's username and
  // practice, in English and Spanish, no TIN.
  const preview = page.locator('.mail-preview');
  await expect(preview).toContainText(`${user} (Invited Clinic)`);
  await expect(preview).toContainText('Hola:');
  await expect(preview).not.toContainText('945678901');
  await expect(page.getByText('It writes to 1 address now (1 old account).')).toBeVisible();
  await axeBothLanguages(page, 'campaign draft', /Campaña/);
  await screenshots(page, 'en', 'console-campaign');

  // A test, to the operator's own address.
  const sentAt = Date.now() - 1000;
  await page.getByLabel('Your email address').fill(`sam-${run}@insurer.example`);
  await page.locator('#test-reason').fill('check the text');
  await page.getByRole('button', { name: 'Send a test' }).click();
  await expect(notice()).toContainText('The test is on its way.');
  const test_mail = await mailAbout(`sam-${run}@insurer.example`, '[Test]', sentAt);
  expect(test_mail.text).toContain('jsmith-sample');

  // Started: the worker sends the invitation.
  await page.locator('#change-reason').fill('go');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(notice()).toContainText('The campaign is sending.');
  const invitation = await mailAbout(address, 'old portal accounts', sentAt);
  const link = invitation.text.match(/https?:\/\/\S+\/wizard\/lookup\?invite=[0-9a-f]{64}/)![0];

  // The provider opens the link: the username is already there.
  const provider = await browser.newContext({ javaScriptEnabled: jsOn() });
  const p = await provider.newPage();
  await p.goto(link);
  await expect(p.locator('h1')).toHaveText('Account Lookup');
  await expect(p.getByLabel('Username')).toHaveValue(user);
  await axe(p, 'Account Lookup from a campaign link');
  await p.getByLabel('Tax ID Number').fill('945678901');
  await p.getByRole('button', { name: 'Next' }).click();
  await p.getByLabel('What was your first car?').fill('civic');
  await p.getByRole('button', { name: 'Next' }).click();
  const mailbox = `new-${run}@clinic.example`;
  await p.getByLabel('Email', { exact: true }).fill(mailbox);
  await p.getByLabel('Verify Email').fill(mailbox);
  const codeAt = Date.now() - 1000;
  await p.getByRole('button', { name: 'Next' }).click();
  await p.getByLabel('Verification Code').fill(await latestCode(mailbox, codeAt));
  await p.getByRole('button', { name: 'Next' }).click();
  await p.getByLabel('Username').fill(user);
  await p.getByLabel('Password', { exact: true }).fill('Invite#e2e2026');
  await p.getByRole('button', { name: 'Submit' }).click();
  await p.getByRole('button', { name: 'Finish' }).click();
  await expect(p.locator('h1')).toHaveText('Thank You');
  await provider.close();

  // The campaign's figures count the wizard begun and the account moved.
  await page.reload();
  const invitationRow = page.getByRole('row', { name: /Invitation/ });
  await expect(invitationRow).toContainText('1');
  expect(sql(`SELECT COUNT(*) FROM campaign_starts`)).toBeGreaterThanOrEqual(1);
  await expect(invitationRow.locator('td').nth(3)).toHaveText('1');
  await expect(invitationRow.locator('td').nth(4)).toHaveText('1');
  const campaignPage = page.url();
  // Progress's funnel counts it among the wizards begun from a link.
  await page.goto('/ops');
  await expect(page.locator('#funnel ~ p').filter({ hasText: 'campaign' })).toHaveText(
    /Begun from a campaign's link: [1-9]\d*\. Their accounts moved since: [1-9]/,
  );
  await page.goto(campaignPage);

  // One click from the mail program: no session, no cookie, no page.
  const unsubscribe = invitation.text.match(/https?:\/\/\S+\/unsubscribe\/[0-9a-f]{64}/)![0];
  const anonymous = await browser.newContext();
  const res = await anonymous.request.post(unsubscribe, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    data: 'List-Unsubscribe=One-Click',
  });
  expect(res.status()).toBe(200);
  await anonymous.close();
  expect(sql(`SELECT COUNT(*) FROM mail_suppressions WHERE address = '${address}' AND reason = 'unsubscribed'`)).toBe(1);
  await page.reload();
  await expect(page.getByRole('row', { name: /Invitation/ }).locator('td').nth(2)).toHaveText('1');
  // Its one address unsubscribed, nothing more is due: the worker ends
  // the campaign (waited for: the worker does it in its own time).
  await expect
    .poll(async () => {
      await page.reload();
      return page.locator('dl.facts dd').first().textContent();
    }, { timeout: 60_000, intervals: [500] })
    .toBe('Done');
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
});
