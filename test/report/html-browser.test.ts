import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { comparePlans } from '../../src/compare/compare.ts';
import { comparisonHtml, evaluationHtml } from '../../src/report/html.ts';
import { LANES } from '../../src/report/lanes.ts';
import { simulate } from '../../src/simulate/simulate.ts';

/**
 * The HTML report in a real browser (issue 12, deliverable 5): Debian's chromium driven by
 * playwright-core loads the page with no network, renders it without console errors, shows every
 * lane, and shows a step's details on hover. Screenshots and pages stay in out/test-artifacts/ (gitignored).
 */
const CHROMIUM = '/usr/bin/chromium';
const artifacts = new URL('../../out/test-artifacts/', import.meta.url).pathname;
const scenarios = new URL('../../scenarios/', import.meta.url).pathname;
const scenario = `${scenarios}seed-witness.yaml`;
const kb = `${scenarios}plans/kb-shutdown-restart.yaml`;
const leaderOnWitness = `${scenarios}plans/leader-on-witness.yaml`;

async function inBrowser(
  file: string,
  screenshot: string,
  check: (page: import('playwright-core').Page) => Promise<void>,
) {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await check(page);
    await page.screenshot({ path: `${artifacts}${screenshot}`, fullPage: true });
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
  }
}

async function hoverFirstStep(page: import('playwright-core').Page, stepId: string, within = 'body') {
  const details = page.locator('#details');
  await expect(details.isVisible()).resolves.toBe(false);
  const lane = page.locator(`${within} [data-lane="steps"]`).first();
  await lane.scrollIntoViewIfNeeded();
  await lane.locator('path[aria-label^="steps: step 0 "]').first().hover();
  await expect(details.isVisible()).resolves.toBe(true);
  expect(await details.textContent()).toContain(`step 0 ${stepId}`);
}

if (!existsSync(CHROMIUM)) {
  it.skip(`HTML report in a browser: skipped, ${CHROMIUM} is absent (apt-get install -y chromium; .ci/run does)`, () => {});
} else {
  describe('the HTML report in chromium', () => {
    mkdirSync(artifacts, { recursive: true });

    it('evaluate --report: every lane, no console errors, a step’s details on hover', async () => {
      // A seed on which the KB plan stops with the leader on the witness (any failing seed would do).
      const { evaluation } = simulate(scenario, kb, { seed: 1234572 });
      const file = `${artifacts}evaluate-report.html`;
      writeFileSync(file, await evaluationHtml(evaluation));
      await inBrowser(file, 'evaluate-report.png', async (page) => {
        for (const lane of LANES)
          await expect(page.locator(`[data-lane="${lane.id}"]`).count()).resolves.toBe(1);
        await expect(page.locator('table.findings tr[data-rule="plan.step-failed"]').count()).resolves.toBe(
          1,
        );
        await hoverFirstStep(page, 'support-bundle-before');
      });
    }, 120_000);

    it('compare --report: the plans side by side, each plan’s lanes, the failing seeds with replays', async () => {
      const comparison = await comparePlans(scenario, [kb, leaderOnWitness], { runs: 4, threads: 0 });
      const runs = comparison.plans.map(
        (p) =>
          simulate(scenario, p.planPath, { seed: p.failedSeeds[0]?.seed ?? comparison.seeds[0] }).evaluation,
      );
      const file = `${artifacts}compare-report.html`;
      writeFileSync(file, await comparisonHtml(comparison, runs));
      await inBrowser(file, 'compare-report.png', async (page) => {
        await expect(page.locator('table.summary th').allTextContents()).resolves.toEqual([
          '',
          'kb-shutdown-restart',
          'leader-on-witness',
        ]);
        await expect(page.locator('.chart[data-metric] svg').count()).resolves.toBe(7);
        for (const lane of LANES)
          await expect(page.locator(`[data-lane="${lane.id}"]`).count()).resolves.toBe(2);
        await expect(
          page.locator('section[data-plan="leader-on-witness"] .failed-seeds li').count(),
        ).resolves.toBe(4);
        await hoverFirstStep(page, '0-vm.stop', 'section[data-plan="leader-on-witness"]');
      });
      expect(statSync(file).size).toBeLessThan(1024 * 1024);
    }, 120_000);
  });
}
