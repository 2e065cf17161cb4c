// make bench's browser figures (benches/load/browser.rs runs this with the
// bench server's address): in Chromium, the time from pressing Next on
// Account Lookup to Account Verification's heading being visible, shown in
// place and as a full page load (the same step, the same browser without
// the app's JS and WASM), and the INP while typing into a checked field. Prints one JSON line.
import { chromium } from '@playwright/test';

const base = process.argv[2];
const rounds = Number(process.argv[3] || 15);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// Timed in the page, the same way for both: the press of Next is stamped
// (Date.now, in sessionStorage, which outlives a page load), and so is the
// first animation frame after Account Verification's heading is in the
// document (a MutationObserver from an init script, so that it watches a
// loading document too). Playwright's own polling is not in the figure.
function probe() {
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('button.button--primary')) {
      window.__shownAt = 0;
      sessionStorage.setItem('clickAt', String(Date.now()));
    }
  }, true);
  const seen = () => {
    const h = document.querySelector('h1');
    if (h && h.textContent.trim() === 'Account Verification' && !window.__shownAt) {
      window.__shownAt = -1;
      requestAnimationFrame(() => { window.__shownAt = Date.now(); });
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
}

// Next on Account Lookup (a username no account has: a decoy question, the
// same work as a real one) until the next heading shows, then Previous back;
// `rounds` times after one warm-up. `inPlace` false: the same browser with
// the app's JS and WASM not served, so every step is a full page load.
async function nextTimes(inPlace) {
  const context = await browser.newContext();
  if (!inPlace) await context.route(/\/pkg\/.*\.(js|wasm)$/, (r) => r.abort());
  await context.addInitScript(probe);
  const page = await context.newPage();
  await page.goto(`${base}/wizard/lookup`);
  if (inPlace) await page.locator('html[data-enhanced]').waitFor();
  const times = [];
  for (let i = 0; i <= rounds; i++) {
    await page.getByLabel('Username').fill(`browser${i}`);
    await page.getByLabel('Tax ID Number').fill('123456789');
    await page.getByRole('button', { name: 'Next' }).click({ noWaitAfter: true });
    await page.getByRole('heading', { level: 1, name: 'Account Verification' }).waitFor();
    await page.waitForFunction(() => window.__shownAt > 0);
    const t = await page.evaluate(() => window.__shownAt - Number(sessionStorage.getItem('clickAt')));
    if (i > 0) times.push(t);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByRole('heading', { level: 1, name: 'Account Lookup' }).waitFor();
  }
  await context.close();
  return times;
}

// INP while typing: the longest interaction (event timing) while a TIN is
// typed into a field that shows a message, so each key is checked.
async function typingInp() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/wizard/lookup`);
  await page.locator('html[data-enhanced]').waitFor();
  await page.evaluate(() => {
    window.__longest = 0;
    window.__interactions = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.interactionId > 0) {
          window.__interactions += 1;
          window.__longest = Math.max(window.__longest, e.duration);
        }
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  });
  const tin = page.getByLabel('Tax ID Number');
  await tin.fill('1');
  await tin.blur();
  await page.locator('#tin-error').waitFor();
  await tin.click();
  await tin.pressSequentially('2-3456789', { delay: 60 });
  await page.locator('#tin-error').waitFor({ state: 'detached' });
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => ({ longest: window.__longest, over16: window.__interactions }));
  await context.close();
  return r;
}

const inPlace = await nextTimes(true);
const fullLoad = await nextTimes(false);
const inp = await typingInp();
await browser.close();
console.log(JSON.stringify({ in_place_ms: median(inPlace), full_load_ms: median(fullLoad), rounds, inp_ms: inp.longest, inp_over_16ms: inp.over16 }));
