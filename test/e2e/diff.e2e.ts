/**
 * Issue 5 in the browser: the diff of two snapshots with the changed cell
 * highlighted and the unchanged ones collapsed; a snapshot against the live
 * notebook; two notebooks picked in the file browser.
 */
import { describe, expect, it } from 'vitest';
import { useLab } from './harness/fixture';
import { notebookJSON } from './harness/lab';

const PANEL = '#jp-labbook-panel';
const DIFF = '.jp-Labbook-diffPanel:visible';
const CELLS = [
  'import math',
  'opt = "sgd"',
  'def f(x):\n    return x * 2',
  'print(f(2))',
  'epochs = 3',
  '# the end'
];

describe('notebook diff', () => {
  const f = useLab();
  let experimentId = '';
  let panelId = '';

  it('shows the diff of two snapshots: the changed cell highlighted, the rest collapsed', async () => {
    await f.lab.open();
    const page = f.browser.page;
    panelId = await f.lab.openNotebook('d/model.ipynb', CELLS);
    experimentId = await f.lab.startExperiment('d/model.ipynb');
    // Change one word of cell 2, then stop: start and end snapshots differ there.
    await f.lab.runCell(panelId, 1, 'opt = "adam"');
    await f.lab.command('labbook:stop-experiment', { path: 'd/model.ipynb' });

    await f.lab.command('labbook:show-experiment', { id: experimentId });
    await page.waitForFunction(
      () =>
        document.querySelectorAll('#jp-labbook-panel .jp-Labbook-snapshot')
          .length === 2
    );
    await page.click(
      `${PANEL} .jp-Labbook-snapshot:nth-child(2) .jp-Labbook-diffPrevious`
    );
    await page.waitForSelector(`${DIFF} .jp-Labbook-diff`);
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffSummary`).innerText()
    ).resolves.toBe('1 modified, 0 added, 0 removed, 0 moved, 5 unchanged');
    const changed = page.locator(
      `${DIFF} .jp-Labbook-diffCell.jp-mod-modified`
    );
    await expect(changed.count()).resolves.toBe(1);
    // The changed words, on each side.
    await expect(
      changed
        .locator('.jp-Labbook-diffA.jp-mod-removed .jp-Labbook-diffWord')
        .allInnerTexts()
    ).resolves.toEqual(['sgd']);
    await expect(
      changed
        .locator('.jp-Labbook-diffB.jp-mod-added .jp-Labbook-diffWord')
        .allInnerTexts()
    ).resolves.toEqual(['adam']);
    // Unchanged cells collapsed with their count: 1 before, 4 after.
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffExpand`).allInnerTexts()
    ).resolves.toEqual(['1 unchanged cell', '4 unchanged cells']);
    await page.locator(`${DIFF} .jp-Labbook-diffExpand`).nth(1).click();
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffUnchanged`).count()
    ).resolves.toBe(4);

    // Unified layout: one column with - and +.
    await page.selectOption(`${DIFF} .jp-Labbook-diffMode`, 'unified');
    await expect(
      page
        .locator(
          `${DIFF} .jp-Labbook-diffLine.jp-mod-removed, ${DIFF} .jp-Labbook-diffLine.jp-mod-added`
        )
        .allInnerTexts()
    ).resolves.toEqual(['- opt = "sgd"', '+ opt = "adam"']);
    // Next change scrolls to and marks the changed cell.
    await page.click(`${DIFF} .jp-Labbook-diffNext`);
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffCell.jp-mod-current`).count()
    ).resolves.toBe(1);
    expect(f.browser.errors()).toEqual([]);
  });

  it('compares a snapshot with the live notebook, unsaved edits included', async () => {
    const page = f.browser.page;
    await page.evaluate(id => {
      const app = (window as any).jupyterapp;
      const panel = [...app.shell.widgets('main')].find(
        (w: any) => w.id === id
      );
      panel.content.model.sharedModel.insertCell(6, {
        cell_type: 'markdown',
        source: '## Results'
      });
    }, panelId);
    await f.lab.command('labbook:show-experiment', { id: experimentId });
    await page.click(
      `${PANEL} .jp-Labbook-snapshot:nth-child(2) .jp-Labbook-diffLive`
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.jp-Labbook-diffPanel')].some(
        n =>
          (n as HTMLElement).offsetParent !== null &&
          /1 added/.test(
            n.querySelector('.jp-Labbook-diffSummary')?.textContent ?? ''
          )
      )
    );
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffCell.jp-mod-added`).innerText()
    ).resolves.toMatch(/## Results/);
  });

  it('compares snapshots of two experiments', async () => {
    const page = f.browser.page;
    const other = await f.lab.openNotebook('d/other.ipynb', [
      'import math',
      'opt = "rmsprop"'
    ]);
    const secondId = await f.lab.startExperiment('d/other.ipynb');
    await f.lab.runCell(other, 0);
    await f.lab.command('labbook:stop-experiment', { path: 'd/other.ipynb' });
    // Pick the first experiment's end snapshot…
    await f.lab.command('labbook:show-experiment', { id: experimentId });
    await page.click(
      `${PANEL} .jp-Labbook-snapshot:nth-child(2) .jp-Labbook-pickSnapshot`
    );
    await page.waitForSelector(
      `${PANEL} .jp-Labbook-snapshot:nth-child(2) .jp-Labbook-pickSnapshot.jp-mod-active`
    );
    // …and compare the second experiment's start snapshot with it.
    await f.lab.command('labbook:show-experiment', { id: secondId });
    await page.click(
      `${PANEL} .jp-Labbook-snapshot:nth-child(1) .jp-Labbook-diffPicked`
    );
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.jp-Labbook-diffPanel')].some(
        n =>
          (n as HTMLElement).offsetParent !== null &&
          /^other /.test(
            n.querySelector('.jp-Labbook-diffHeadB')?.textContent ?? ''
          )
      )
    );
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffHeadA`).innerText()
    ).resolves.toMatch(/^model .* · end/);
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffSummary`).innerText()
    ).resolves.toBe('1 modified, 0 added, 4 removed, 0 moved, 1 unchanged');
  });

  it('compares two notebooks selected in the file browser', async () => {
    const page = f.browser.page;
    await f.lab.writeFile('cmp/a.ipynb', notebookJSON(['x = 1', 'y = 2']));
    await f.lab.writeFile('cmp/b.ipynb', notebookJSON(['x = 1', 'y = 3']));
    await f.lab.command('filebrowser:go-to-path', { path: 'cmp/' });
    await f.lab.command('filebrowser:activate');
    const item = (name: string) =>
      page
        .locator('.jp-DirListing-item')
        .filter({ has: page.getByText(name, { exact: true }) });
    await item('a.ipynb').click();
    await item('b.ipynb').click({ modifiers: ['Control'] });
    await item('b.ipynb').click({ button: 'right' });
    await page.click('.lm-Menu-item[data-command="labbook:diff-files"]');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.jp-Labbook-diffPanel')].some(
        n =>
          (n as HTMLElement).offsetParent !== null &&
          /cmp\/a\.ipynb/.test(
            n.querySelector('.jp-Labbook-diffHeadA')?.textContent ?? ''
          )
      )
    );
    await expect(
      page.locator(`${DIFF} .jp-Labbook-diffSummary`).innerText()
    ).resolves.toBe('1 modified, 0 added, 0 removed, 0 moved, 1 unchanged');
  });

  it('names the file and the problem when a notebook cannot be read', async () => {
    const page = f.browser.page;
    await f.lab.writeFile('cmp/broken.ipynb', '{"cells": [', 'text');
    await f.lab.command('labbook:diff-files', {
      paths: ['cmp/a.ipynb', 'cmp/broken.ipynb']
    });
    await page.waitForFunction(() =>
      /broken\.ipynb.*not valid JSON/.test(document.body.innerText)
    );
  });
});

describe('notebook merge view', () => {
  const f = useLab();

  it('merges three notebooks, resolves two conflicts (remote, edited) and saves', async () => {
    await f.lab.open();
    const page = f.browser.page;
    const base = ['import math', 'lr = 0.1', 'epochs = 3', 'print(lr)'];
    await f.lab.writeFile('m/base.ipynb', notebookJSON(base));
    await f.lab.writeFile(
      'm/local.ipynb',
      notebookJSON(['import math', 'lr = 0.01', 'epochs = 5', 'print(lr)'])
    );
    await f.lab.writeFile(
      'm/remote.ipynb',
      notebookJSON(['import math, os', 'lr = 0.5', 'epochs = 10', 'print(lr)'])
    );
    await f.lab.command('labbook:merge-files', {
      base: 'm/base.ipynb',
      local: 'm/local.ipynb',
      remote: 'm/remote.ipynb',
      output: 'm/merged.ipynb'
    });
    const VIEW = '.jp-Labbook-mergePanel:visible';
    await page.waitForSelector(`${VIEW} .jp-Labbook-mergeConflict`);
    await expect(
      page.locator(`${VIEW} .jp-Labbook-mergeSummary`).innerText()
    ).resolves.toBe('2 conflicts left');
    await expect(
      page.locator(`${VIEW} .jp-Labbook-mergeWhere`).allInnerTexts()
    ).resolves.toEqual(['Cell 2 · source', 'Cell 3 · source']);
    // Take remote for the first; edit the second.
    await page.click(
      `${VIEW} .jp-Labbook-mergeConflict >> nth=0 >> .jp-Labbook-mergeRemote`
    );
    await expect(
      page.locator(`${VIEW} .jp-Labbook-mergeSummary`).innerText()
    ).resolves.toBe('1 conflict left');
    await page.click(`${VIEW} .jp-Labbook-mergeEdit`);
    await page.fill(`${VIEW} .jp-Labbook-mergeEditor`, 'epochs = 7\n');
    await page.click(`${VIEW} .jp-Labbook-mergeApply`);
    await expect(
      page.locator(`${VIEW} .jp-Labbook-mergeSummary`).innerText()
    ).resolves.toBe('No conflicts left');
    await page.click(`${VIEW} .jp-Labbook-mergeSave`);
    await page.waitForFunction(() =>
      /Saved to m\/merged\.ipynb/.test(document.body.innerText)
    );
    const res = await f.server.api(
      '/api/contents/m/merged.ipynb?content=1&type=file&format=text'
    );
    const saved = JSON.parse((await res.json()).content);
    const sources = saved.cells.map((c: any) =>
      Array.isArray(c.source) ? c.source.join('') : c.source
    );
    // The unconflicted change (remote's import) merged by itself.
    expect(sources).toEqual([
      'import math, os',
      'lr = 0.5\n',
      'epochs = 7\n',
      'print(lr)'
    ]);
  });
});
