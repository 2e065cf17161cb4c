// The pictures of our pages for docs/screenshots and the quick guide.
import { Page } from '@playwright/test';

export const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** `<name>-desktop.png` and `<name>-phone.png` in docs/screenshots/<lang>/; the page is left at desktop size. */
export async function screenshots(page: Page, lang: string, name: string) {
  const dir = `../docs/screenshots/${lang}`;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${dir}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `${dir}/${name}-phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}
