// Accessibility basics: a polite status region that announces failures, a
// start button reachable and usable from the keyboard, focus on new screens.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  suite, goto, waitForEvent, waitForState, part, tabTo, TEST_TIMEOUT_MS, STEP_TIMEOUT_MS,
} from './helpers.mjs';

const run = suite('a11y');
const opts = { timeout: TEST_TIMEOUT_MS };

test('the status region is a polite live region that announces a failure', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=backend-error');
    await part(page, 'start-button').waitFor({ state: 'visible' });
    const status = part(page, 'status');
    await status.waitFor({ state: 'attached' });
    assert.equal(await status.getAttribute('role'), 'status');
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    const before = (await status.textContent()).trim();
    const statusNode = () => document.querySelector('#capture').shadowRoot.querySelector('[part~="status"]');
    await page.evaluate(`(${statusNode})().__e2eOriginal = true`);

    await part(page, 'start-button').click();
    await waitForEvent(page, 'videoid-failed', { match: 'Backend.Error' });
    await waitForState(page, 'failed');
    await page.waitForFunction(
      (before) => {
        const text = document.querySelector('#capture').shadowRoot.querySelector('[part~="status"]').textContent.trim();
        return text.length > 0 && text !== before;
      },
      before,
      { timeout: STEP_TIMEOUT_MS, polling: 100 },
    );
    // A live region is only announced when it existed before the change.
    assert.equal(await page.evaluate(`(${statusNode})().__e2eOriginal === true`), true, 'the same region carries the announcement');
  });
});

test('the start button is reachable by Tab and starts on Enter', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '');
    await part(page, 'start-button').waitFor({ state: 'visible' });
    assert.ok(await tabTo(page, 'start-button'), 'Tab reaches the start button');
    await page.keyboard.press('Enter');
    const loading = await waitForEvent(page, 'videoid-state', { match: 'loading' });
    assert.equal(loading.previous, 'idle');
  });
});

test('a failure screen takes keyboard focus along to its title', opts, async (t) => {
  await run(t, async ({ page }) => {
    await goto(page, '?scenario=backend-error');
    await part(page, 'start-button').waitFor({ state: 'visible' });
    assert.ok(await tabTo(page, 'start-button'), 'Tab reaches the start button');
    await page.keyboard.press('Enter');
    await waitForEvent(page, 'videoid-failed', { match: 'Backend.Error' });
    await waitForState(page, 'failed');
    const focused = await page.evaluate(() => {
      const el = document.querySelector('#capture');
      return {
        document: document.activeElement?.tagName.toLowerCase(),
        part: document.activeElement === el ? el.shadowRoot.activeElement?.getAttribute('part') ?? null : null,
      };
    });
    assert.deepEqual(focused, { document: 'videoid-capture', part: 'title' }, 'focus was in the element, so it moves to the new title');
  });
});
