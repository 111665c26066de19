// The pruners on the page, in Debian's Chromium: choose Median and Hyperband, change a
// parameter, and the markers and the table agree with `curvelab prune` on the study the
// page exports; a refused parameter is shown with the core's message; the table follows
// runs as they grow; the race preset, the view filter and the PNG export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, servedSite, waitIdle } from './browser.mjs';
import { nativeCli } from './wasm-node.mjs';

const cli = nativeCli();
const site = servedSite({ acceptDownloads: true });

const verdicts = (page) => page.evaluate(() => window.curvelab.pruners());
const marks = (page) => page.evaluate(() => window.curvelab.marks());

/** Clicks the export button and returns the study JSON the page saved. */
async function exportStudy(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export study JSON' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'curvelab-study.json');
  return JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
}

/** `curvelab prune` on a study or a batch: one result per study. */
function prune(study) {
  const r = spawnSync(cli, ['prune', '-'], { input: JSON.stringify(study), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  return out.results ?? [out];
}

/** The page's verdicts, markers and table agree with the CLI on the study it exported. */
async function assertMatchesCli(page, names) {
  const study = await exportStudy(page);
  const studies = study.studies ?? [study];
  assert.deepEqual(
    studies.map((s) => s.pruner.name),
    names,
  );
  for (const s of studies) {
    assert.equal(s.study_name, 'curvelab-playground');
    assert.equal(s.direction, 'maximize');
  }
  const native = prune(study);
  const shown = await verdicts(page);
  assert.deepEqual(
    shown.map((v) => v.name),
    names,
  );
  const drawn = await marks(page);
  const rows = await page.locator('#pruner-table tbody tr').allInnerTexts();
  shown.forEach((v, k) => {
    const cliResult = native[k];
    assert.deepEqual(v.pruned_at, cliResult.pruned_at, `${v.name}: the same stops as the CLI`);
    assert.deepEqual(v.summary, cliResult.summary, `${v.name}: the same summary as the CLI`);
    assert.deepEqual(
      v.reasons,
      cliResult.reasons.map((r) => r?.text ?? null),
      `${v.name}: the same reasons`,
    );
    // One marker per stopped run, at the chart step after the stop, with the core's reason.
    const expected = cliResult.pruned_at.flatMap((at, i) =>
      at === null ? [] : [{ curve: i, x: at + 1, text: cliResult.reasons[i].text }],
    );
    assert.deepEqual(
      drawn[k].marks.map((m) => ({ curve: m.curve, x: m.x, text: m.text })),
      expected,
      `${v.name}: markers`,
    );
    // The table row: share saved and runs stopped as the summary says.
    const s = cliResult.summary;
    assert.match(rows[k], new RegExp(`${(100 * s.share_saved).toFixed(1)}%`));
    assert.match(rows[k], new RegExp(`${s.pruned} of ${s.trials}`));
    assert.match(rows[k], s.best_trial_completed ? /yes · run/ : /no · run/);
  });
  return { native, study };
}

test('Median and Hyperband: markers and table match curvelab prune on the exported study, before and after a parameter change', async () => {
  const { page, errors } = await openPage(site.browser.context, `${site.server.url}#runs=10&steps=600&seed=5`);
  try {
    assert.equal(await page.locator('#pruner-table').isVisible(), false, 'no table before a pruner is chosen');
    await page.getByRole('checkbox', { name: 'median', exact: true }).check();
    await page.getByRole('checkbox', { name: 'hyperband', exact: true }).check();
    await waitIdle(page);
    assert.match(page.url(), /pruners=median%2Chyperband/);
    // Optuna's names and defaults, from the core.
    assert.equal(await page.getByLabel('median n_startup_trials').getAttribute('placeholder'), '5');
    assert.equal(await page.getByLabel('hyperband reduction_factor').getAttribute('placeholder'), '3');
    assert.equal(await page.getByLabel('hyperband max_resource').getAttribute('placeholder'), 'auto');
    assert.match(await page.locator('#study-line').textContent(), /Study "curvelab-playground", direction maximize/);
    const before = await assertMatchesCli(page, ['median', 'hyperband']);
    const drawn = await marks(page);
    assert.deepEqual(
      drawn.map((d) => d.style),
      ['triangle', 'star'],
      'each pruner its own marker shape',
    );
    assert.ok(
      drawn.every((d) => d.marks.length > 0),
      'both stop some run',
    );
    // The reasons are listed too.
    await page.getByText('Every stop and why').click();
    const firstReason = before.native[0].reasons.find((r) => r !== null).text;
    assert.equal(
      await page.locator('#pruner-stops-list').getByText(firstReason, { exact: false }).first().isVisible(),
      true,
    );

    // A parameter: fewer startup trials, more stops.
    await page.getByLabel('median n_startup_trials').fill('2');
    await waitIdle(page);
    assert.match(page.url(), /median\(n_startup_trials%3A2\)/);
    const after = await assertMatchesCli(page, ['median', 'hyperband']);
    assert.equal(after.study.studies[0].pruner.params.n_startup_trials, 2);
    assert.ok(
      after.native[0].summary.pruned > before.native[0].summary.pruned,
      'median with 2 startup trials stops more runs',
    );
    assert.deepEqual(after.native[1], before.native[1], 'hyperband is unchanged');

    // Filter: one pruner's view.
    await page.getByLabel('Chart shows stops of').selectOption('hyperband');
    assert.deepEqual(
      (await marks(page)).map((d) => d.label),
      ['hyperband'],
    );
    assert.match(page.url(), /pview=hyperband/);
    const single = await exportStudy(page);
    assert.equal(single.pruner.name, 'hyperband', 'the export follows the view: one study');

    // The link reproduces the choice, parameters and view.
    const copy = await openPage(site.browser.context, page.url());
    try {
      assert.deepEqual(await verdicts(copy.page), await verdicts(page));
      assert.equal(await copy.page.getByLabel('median n_startup_trials').inputValue(), '2');
      assert.deepEqual(copy.errors, []);
    } finally {
      await copy.page.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a parameter Optuna refuses is refused inline with the core message, and nothing changes', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#runs=8&steps=400&pruners=median%2Chyperband`,
  );
  try {
    const before = await verdicts(page);
    const hash = new URL(page.url()).hash;
    const bootstrap = page.getByLabel('hyperband bootstrap_count');
    await bootstrap.fill('2');
    await assert.doesNotReject(
      page.getByText('bootstrap_count must be 0 when max_resource is "auto", got 2').waitFor(),
    );
    assert.equal(await bootstrap.getAttribute('aria-invalid'), 'true');
    await page.getByLabel('median n_startup_trials').fill('abc');
    await assert.doesNotReject(page.getByText(/n_startup_trials must be an integer in/).waitFor());
    assert.deepEqual(await verdicts(page), before, 'the verdicts are unchanged');
    assert.equal(new URL(page.url()).hash, hash, 'the link is unchanged');
    await bootstrap.fill('');
    await page.getByLabel('median n_startup_trials').fill('');
    await waitIdle(page);
    assert.equal(await page.getByText(/bootstrap_count must be/).count(), 0, 'cleared: back to the default');
    assert.deepEqual(await verdicts(page), before);
    // Hyperband refuses some values only when the study runs, as Optuna does: shown in its form and row.
    await page.getByLabel('hyperband max_resource').fill('0');
    await waitIdle(page);
    const runtime = (await verdicts(page))[1].error;
    assert.match(runtime.message, /max_resource/);
    assert.equal(await page.locator('#pruner-hyperband-error').textContent(), runtime.message);
    assert.match(await page.locator('#pruner-table tbody tr[data-pruner="hyperband"]').innerText(), /max_resource/);
    await page.getByLabel('hyperband max_resource').fill('');
    await waitIdle(page);
    assert.equal(await page.locator('#pruner-hyperband-error').textContent(), '');
    // Threshold has no default bound: refused until one is given.
    await page.getByRole('checkbox', { name: 'threshold', exact: true }).check();
    await waitIdle(page);
    assert.match(await page.locator('#pruner-form-threshold .error').textContent(), /lower|upper/);
    await page.getByLabel('threshold lower').fill('0.5');
    await waitIdle(page);
    assert.equal(await page.locator('#pruner-form-threshold .error').textContent(), '');
    assert.equal((await verdicts(page))[2].error, undefined);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the table follows the runs as they grow, and still matches the CLI when paused', async () => {
  const { page, errors } = await openPage(
    site.browser.context,
    `${site.server.url}#runs=10&steps=4000&speed=2000&seed=3&pruners=median%2Chyperband`,
  );
  try {
    await page.getByRole('button', { name: 'Reset' }).click();
    await waitIdle(page);
    await page.getByRole('button', { name: /Play/ }).click();
    await page.waitForFunction(() => window.curvelab.stepsDone() > 300);
    await page.waitForFunction(() => (window.curvelab.pruners()[0]?.summary?.steps_total ?? 0) > 0);
    const early = (await verdicts(page))[0].summary.steps_total;
    await page.waitForFunction((n) => (window.curvelab.pruners()[0]?.summary?.steps_total ?? 0) > n + 1000, early);
    await page.getByRole('button', { name: /Pause/ }).click();
    const done = await page.evaluate(() => window.curvelab.stepsDone());
    assert.equal(
      (await verdicts(page))[0].summary.steps_total,
      10 * done,
      'partial runs: trials with the steps so far',
    );
    await assertMatchesCli(page, ['median', 'hyperband']);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the pruner race preset: successive halving loses the late bloomer that median and Hyperband keep; PNG export', async () => {
  const { page, errors } = await openPage(site.browser.context, site.server.url);
  try {
    await page.selectOption('#preset', 'pruner-race');
    await waitIdle(page);
    const v = await verdicts(page);
    assert.deepEqual(
      v.map((x) => x.name),
      ['median', 'successive_halving', 'hyperband'],
    );
    const kept = Object.fromEntries(v.map((x) => [x.name, x.summary.best_trial_completed]));
    assert.deepEqual(kept, { median: true, successive_halving: false, hyperband: true });
    assert.equal(v[0].summary.best_trial, 1, "the best run: run 1's ε 0.01");
    assert.notDeepEqual(v[0].pruned_at, v[2].pruned_at);
    assert.deepEqual(
      (await marks(page)).map((d) => d.style),
      ['triangle', 'rectRot', 'star'],
    );
    await assertMatchesCli(page, ['median', 'successive_halving', 'hyperband']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save PNG' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'curvelab-chart.png');
    const png = fs.readFileSync(await download.path());
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 10_000);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
