// Every language on the demo page: the start screen and a failure screen show
// the language's own strings (from the built package's i18n/<lang>.json) and
// no English string (checked against i18n/en.json); Arabic is laid out right
// to left (and a screenshot of it is kept); the host's texts apply live; the
// language reaches the hosted flow as uiLanguage.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  suite, goto, waitForEvent, waitForState, part, simFrame, OUTPUT_DIR, TEST_TIMEOUT_MS,
} from './helpers.mjs';
import { REPO_ROOT } from './server.mjs';

const run = suite('i18n');
const opts = { timeout: TEST_TIMEOUT_MS * 3 };
const pkgDir = path.resolve(REPO_ROOT, process.env.VIDEOID_PKG_DIR || 'pkg');
const table = (lang) => JSON.parse(readFileSync(path.join(pkgDir, 'i18n', `${lang}.json`), 'utf8'));
const english = table('en');
const LANGS = readdirSync(path.join(pkgDir, 'i18n')).map((f) => f.replace(/\.json$/, '')).sort();

/** Every text a person can read or hear in #capture: leaf texts, labels, the live region. */
function readable(page) {
  return page.evaluate(() => {
    const root = document.querySelector('#capture').shadowRoot;
    const texts = [];
    for (const el of root.querySelectorAll('*')) {
      if (el.children.length === 0 && el.textContent.trim()) texts.push(el.textContent.trim());
      for (const attr of ['aria-label', 'title', 'alt']) {
        if (el.getAttribute(attr)) texts.push(el.getAttribute(attr));
      }
    }
    const container = root.querySelector('[part~="container"]');
    return { texts, lang: container.getAttribute('lang'), dir: container.getAttribute('dir') };
  });
}

function assertNoEnglish(lang, screen, { texts }) {
  const values = Object.values(english);
  for (const text of texts) {
    assert.ok(!values.includes(text), `${lang} ${screen}: "${text}" is English`);
    // The live region joins title and message: no English sentence inside either.
    for (const value of values.filter((v) => v.length >= 12)) {
      assert.ok(!text.includes(value), `${lang} ${screen}: "${text}" holds the English "${value}"`);
    }
  }
}

test('every language: the start screen and a failure screen, none of it English', opts, async (t) => {
  assert.equal(LANGS.length, 13, `13 languages in ${pkgDir}/i18n: ${LANGS.join(' ')}`);
  await run(t, async ({ page }) => {
    for (const lang of LANGS) {
      const strings = table(lang);
      await goto(page, `?lang=${lang}`);
      await waitForEvent(page, 'videoid-ready');
      assert.equal(await part(page, 'title').innerText(), strings.idleTitle, `${lang} start title`);
      assert.equal(await part(page, 'message').innerText(), strings.idleMessage, `${lang} start message`);
      assert.equal(await part(page, 'start-button').innerText(), strings.start, `${lang} start button`);
      const start = await readable(page);
      assert.equal(start.lang, lang);
      assert.equal(start.dir, lang === 'ar' ? 'rtl' : 'ltr');
      if (lang !== 'en') assertNoEnglish(lang, 'start screen', start);

      await goto(page, `?lang=${lang}&scenario=backend-error&auto=1`);
      const failed = await waitForEvent(page, 'videoid-failed', { match: 'Backend.Error' });
      await waitForState(page, 'failed');
      assert.equal(failed.message, strings.failBackend, `${lang}: the event's message is in the language too`);
      assert.equal(await part(page, 'title').innerText(), strings.failedTitle, `${lang} failure title`);
      assert.equal(await part(page, 'message').innerText(), strings.failBackend, `${lang} failure message`);
      assert.equal(await part(page, 'retry-button').innerText(), strings.retry, `${lang} retry button`);
      const failure = await readable(page);
      assert.ok(
        failure.texts.some((t) => t.includes(strings.failBackend)),
        `${lang}: the failure is announced in the live region: ${failure.texts.join(' | ')}`,
      );
      if (lang !== 'en') assertNoEnglish(lang, 'failure screen', failure);
    }
  });
});

test('ar: the layout is mirrored (start button on the right), screenshot kept', opts, async (t) => {
  await run(t, async ({ page }) => {
    const box = async () => page.evaluate(() => {
      const root = document.querySelector('#capture').shadowRoot;
      const r = (p) => root.querySelector(`[part~="${p}"]`).getBoundingClientRect();
      const [panel, button, title] = [r('panel'), r('start-button'), r('title')];
      return {
        buttonFromLeft: button.left - panel.left,
        buttonFromRight: panel.right - button.right,
        titleAlign: getComputedStyle(root.querySelector('[part~="title"]')).textAlign,
        titleDirection: getComputedStyle(root.querySelector('[part~="title"]')).direction,
        titleFromRight: panel.right - title.right,
      };
    });
    await goto(page, '?lang=en');
    await waitForEvent(page, 'videoid-ready');
    const ltr = await box();
    await goto(page, '?lang=ar');
    await waitForEvent(page, 'videoid-ready');
    const rtl = await box();
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.locator('#capture').screenshot({ path: path.join(OUTPUT_DIR, 'rtl-ar.png') });
    assert.equal(rtl.titleDirection, 'rtl');
    assert.ok(ltr.buttonFromLeft < ltr.buttonFromRight, `en: the button starts on the left ${JSON.stringify(ltr)}`);
    assert.ok(rtl.buttonFromRight < rtl.buttonFromLeft, `ar: the button starts on the right ${JSON.stringify(rtl)}`);
    assert.ok(Math.abs(rtl.buttonFromRight - ltr.buttonFromLeft) <= 1, `ar mirrors en's inset ${JSON.stringify({ ltr, rtl })}`);
    assert.ok(rtl.titleFromRight <= ltr.buttonFromLeft + 1, `ar: the title starts at the right edge ${JSON.stringify(rtl)}`);
  });
});

test('texts: the start button changes live; unknown keys get one warning naming them; lang switches live', opts, async (t) => {
  await run(t, async ({ page, diag }) => {
    await goto(page, '?lang=en');
    await waitForEvent(page, 'videoid-ready');
    assert.equal(await part(page, 'start-button').innerText(), english.start);
    const before = diag.console.length;
    await page.evaluate(() => {
      document.querySelector('#capture').texts = { start: 'Verify with BankID', strat: 'typo', bogus: 1 };
    });
    assert.equal(await part(page, 'start-button').innerText(), 'Verify with BankID', 'at once');
    const warnings = diag.console.slice(before).filter((m) => m.includes('warning'));
    assert.equal(warnings.length, 1, `one warning: ${warnings.join(' | ')}`);
    assert.match(warnings[0], /"strat"/);
    assert.match(warnings[0], /"bogus"/);

    await page.evaluate(() => { document.querySelector('#capture').lang = 'fi'; });
    const fi = table('fi');
    await part(page, 'title').filter({ hasText: fi.idleTitle }).waitFor();
    assert.equal(await part(page, 'start-button').innerText(), 'Verify with BankID', 'the host wording stays');
    await page.evaluate(() => { document.querySelector('#capture').texts = null; });
    assert.equal(await part(page, 'start-button').innerText(), fi.start);
  });
});

test('region tags fall back and the language reaches the hosted flow as uiLanguage', opts, async (t) => {
  await run(t, async ({ page }) => {
    const bodies = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/videoid/session')) bodies.push(r.postDataJSON());
    });
    const artifact = page.waitForResponse((r) => r.url().includes('/capture/api/artifact/'));
    await goto(page, '?lang=pt-BR&mode=embed&scenario=accepted&auto=1');
    await waitForState(page, 'capturing');
    assert.equal(bodies[0]?.lang, 'pt', `the session request: ${JSON.stringify(bodies)}`);
    await simFrame(page);
    assert.equal((await (await artifact).json()).uiLanguage, 'pt', 'Assure got captureParameters.uiLanguage');
    await waitForState(page, 'complete');
    assert.equal(await part(page, 'title').innerText(), table('pt').completeTitle);
  });
});

test("the hosted page's own capture speaks the language the host asked for", opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?lang=de-AT&mode=embed&scenario=accepted');
    await part(page, 'start-button').click();
    await waitForState(page, 'capturing');
    const frame = await simFrame(page);
    await frame.waitForSelector('#native-capture', { state: 'attached', timeout: 20_000 });
    assert.equal(await frame.getAttribute('#native-capture', 'lang'), 'de');
    // The inner element draws in German once its language file is in (whatever its
    // screen: this browser has no camera, so it may well be a failure).
    const de = Object.values(table('de'));
    await frame.waitForFunction(
      (values) => {
        const title = document.querySelector('#native-capture')?.shadowRoot?.querySelector('[part~="title"]');
        return title && values.includes(title.textContent.trim());
      },
      de,
      { timeout: 20_000 },
    );
  });
});
