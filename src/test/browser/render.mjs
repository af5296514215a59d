// Opens a page in Debian's Chromium through playwright-core and prints what a test needs to know,
// as one JSON object: every request the page made, console errors, the title, the funnel figures
// (elements with data-campaign and data-stage), and whether each image decoded.
// usage: node render.mjs URL SCREENSHOT.png [CHROMIUM]
import { chromium } from 'playwright-core';

const [url, screenshot, executable = '/usr/bin/chromium'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: executable,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = [];
  const consoleErrors = [];
  page.on('request', r => requests.push(r.url().slice(0, 120)));
  page.on('console', m => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', e => consoleErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  const seen = await page.evaluate(() => ({
    title: document.title,
    headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
    funnel: [...document.querySelectorAll('[data-campaign][data-stage]')].map(e => ({
      campaign: e.dataset.campaign, stage: e.dataset.stage, side: e.dataset.side || '', text: e.textContent })),
    streams: [...document.querySelectorAll('[data-stream]')].map(e => ({ stream: e.dataset.stream, text: e.textContent })),
    effects: [...document.querySelectorAll('[data-effect][data-group]')].map(e => ({
      name: e.dataset.effect, group: e.dataset.group, text: e.textContent })),
    images: [...document.images].map(i => ({ complete: i.complete, width: i.naturalWidth, height: i.naturalHeight })),
    atRisk: [...document.querySelectorAll('tr[data-user]')].map(r => r.dataset.user),
    bodyHeight: document.body.scrollHeight,
  }));
  // The top of the page (what a reader sees first), at most 2,600 pixels of it.
  await page.screenshot({ path: screenshot, fullPage: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.min(seen.bodyHeight, 2600) } });
  console.log(JSON.stringify({ ...seen, requests, consoleErrors }));
} finally {
  await browser.close();
}
