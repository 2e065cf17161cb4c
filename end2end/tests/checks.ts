// What several specs check the same way: axe-core on the page as the
// server sent it, and an authenticator app's codes (RFC 6238).
import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createHmac } from 'node:crypto';

export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const jsOn = () => test.info().project.use.javaScriptEnabled !== false;

/** axe in the page as the server sent it (without JavaScript: in a copy whose scripts are blocked). */
export async function axe(page: Page, name: string) {
  let target = page;
  let helper;
  if (!jsOn()) {
    helper = await page.context().browser()!.newContext({ javaScriptEnabled: true });
    await helper.addCookies(await page.context().cookies());
    await helper.route(/\/pkg\/.*\.(js|wasm)$/, (r) => r.abort());
    target = await helper.newPage();
    await target.goto(page.url());
  }
  try {
    const results = await new AxeBuilder({ page: target }).withTags(TAGS).analyze();
    const found = results.violations.map((v) => `${name}: ${v.id} ${v.help} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(found, found.join('\n')).toEqual([]);
  } finally {
    await helper?.close();
  }
}

/** RFC 4648 Base32, as our pages show a key (spaces ignored). */
export function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/\s+/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of `seed` at time step `step`. */
export function totp(seed: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', seed).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return n.toString().padStart(6, '0');
}

/** axe on the page shown, then on the same page in Spanish, then back in English. */
export async function axeBothLanguages(page: Page, name: string, spanish: RegExp) {
  await axe(page, `${name} (en)`);
  const here = new URL(page.url());
  await page.goto(`/lang/es?next=${encodeURIComponent(here.pathname + here.search)}`);
  await expect(page.locator('h1')).toHaveText(spanish);
  await axe(page, `${name} (es)`);
  await page.goto(`/lang/en?next=${encodeURIComponent(here.pathname + here.search)}`);
}
