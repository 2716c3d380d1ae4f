/**
 * Issue 7, "Organise" and the side panel's search and views: experiments
 * written straight into the server's store (names, tags and notes hostile),
 * then filtered with a query as the user types, a bad query shown with its
 * range and the previous rows kept, a saved view picked after a reload,
 * star, archive, a bulk tag on a shift-click range, two tabs tagging one
 * experiment, delete with confirmation, and a damaged experiment left out
 * of query matches with a notice.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreIndex } from '../../src/core/index/storeindex';
import type { ParamValue } from '../../src/core/model';
import { NodeStoreFS } from '../../src/core/node/nodefs';
import { LabbookStore } from '../../src/core/store/store';
import { useLab } from './harness/fixture';
import { Lab } from './harness/lab';

const PANEL = '#jp-labbook-panel';
const ROWS = `${PANEL} .jp-Labbook-listRows .jp-Labbook-row[data-id]`;
const XSS = '<img src=x onerror="window.__labbookPwned=1">';
const QUERY =
  '(params.lr < 0.01 or tags = "baseline") and not status = "failed"';

interface ISpec {
  key: string;
  lr?: ParamValue;
  tags: string[];
  status: 'finished' | 'failed' | 'interrupted';
  archived?: boolean;
  damaged?: boolean;
  notes?: string;
}

/** Oldest first; the list shows them newest first. */
const SPECS: ISpec[] = [
  {
    key: 'A',
    lr: 0.001,
    tags: [XSS],
    status: 'finished',
    notes: `**bold** ${XSS}`
  },
  { key: 'B', lr: 0.1, tags: ['baseline'], status: 'finished' },
  { key: 'C', lr: 0.001, tags: ['baseline'], status: 'failed' },
  { key: 'D', lr: 0.1, tags: ['other'], status: 'finished' },
  { key: 'E', tags: ['baseline', XSS], status: 'interrupted' },
  { key: 'F', lr: '0.005', tags: [], status: 'finished' },
  {
    key: 'G',
    lr: 0.001,
    tags: ['baseline'],
    status: 'finished',
    damaged: true
  },
  { key: 'H', lr: 0.001, tags: [], status: 'finished', archived: true }
];

describe('organising experiments in the side panel', () => {
  const f = useLab();
  const root = () => join(f.server.root, 'labbook');
  /** The store the app writes, read from disk. */
  const store = () => new LabbookStore({ fs: new NodeStoreFS(root()) });
  const ids: Record<string, string> = {};
  const keyOf = (id: string) => Object.keys(ids).find(k => ids[k] === id) ?? id;

  /** The keys of the rows listed, top to bottom. */
  const listed = (page = f.browser.page) =>
    page
      .locator(ROWS)
      .evaluateAll(nodes => nodes.map(n => (n as HTMLElement).dataset.id!))
      .then(list => list.map(keyOf).join(''));

  const row = (key: string) =>
    `${ROWS.replace('[data-id]', '')}[data-id="${ids[key]}"]`;

  /** Type a query as the user does, then wait for the debounce. */
  const typeQuery = async (text: string, page = f.browser.page) => {
    await page.fill(`${PANEL} .jp-Labbook-query`, text);
  };

  const accept = async (page = f.browser.page, fill?: string) => {
    await page.waitForSelector('.jp-Dialog');
    if (fill !== undefined) {
      await page.fill('.jp-Dialog input', fill);
    }
    await page.click('.jp-Dialog .jp-mod-accept');
    await page.waitForSelector('.jp-Dialog', { state: 'detached' });
  };

  it('filters with a query as you type, keeps the rows on a bad query and offers the fix', async () => {
    await f.lab.open();
    const page = f.browser.page;
    const dialogs: string[] = [];
    page.on('dialog', d => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    // Written on disk with the index kept (as another Labbook writer would).
    let t = Date.parse('2026-03-01T10:00:00Z');
    const writer = new LabbookStore({
      fs: new NodeStoreFS(root()),
      now: () => new Date((t += 1000))
    });
    const index = new StoreIndex({ store: writer });
    index.attach();
    for (const s of SPECS) {
      const e = await writer.createExperiment({
        name: `${XSS} ${s.key}`,
        notebook: 'nb/train.ipynb',
        kernel: { name: 'python3', language: 'python' },
        status: s.status,
        ended: new Date(t + 500).toISOString(),
        tags: s.tags,
        notes: s.notes ?? ''
      });
      ids[s.key] = e.id;
      await writer.updateExperiment(e.id, {
        ...(s.lr === undefined ? {} : { params: { lr: s.lr } }),
        ...(s.archived ? { archived: true } : {})
      });
      if (s.damaged) {
        // A half-written edit, as a crash would leave it.
        const dir = join(root(), 'experiments', e.id, 'edits');
        mkdirSync(dir, { recursive: true });
        writeFileSync(
          join(dir, '9999999999999999-crashed1.json'),
          '{"format":"labbook-edit","vers'
        );
        await index.reread([e.id]);
      }
    }
    await index.flush();
    index.dispose();

    await f.lab.command('labbook:refresh');
    await f.lab.command('labbook:open-panel');
    // Newest first; the archived one hidden; the damaged one listed as such.
    await expect.poll(() => listed()).toBe('GFEDCBA');
    await expect(
      page
        .locator(`${row('G')}.jp-mod-damaged .jp-Labbook-rowDamaged`)
        .innerText()
    ).resolves.toMatch(/edits\/9999999999999999-crashed1\.json/);
    await expect(
      page.locator(`${row('A')} .jp-Labbook-rowName`).innerText()
    ).resolves.toBe(`${XSS} A`);
    await expect(
      page.locator(`${row('E')} .jp-Labbook-tag`).allInnerTexts()
    ).resolves.toEqual(['baseline', XSS]);

    // The query: exactly the rows it means; the damaged one left out, said so.
    await typeQuery(QUERY);
    await expect.poll(() => listed()).toBe('FEBA');
    await expect(
      page.locator(`${PANEL} .jp-Labbook-notice`).innerText()
    ).resolves.toMatch(/1 damaged experiment is left out/);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-queryError`).isHidden()
    ).resolves.toBe(true);

    // A bad query: the error under the box, its range at the end, the rows kept.
    const bad = 'params.lr <';
    await typeQuery(bad);
    const range = page.locator(`${PANEL} .jp-Labbook-queryErrorRange`);
    await range.waitFor();
    await expect(
      page.locator(`${PANEL} .jp-Labbook-queryMessage`).innerText()
    ).resolves.toBe("Expected a value after '<' at 10");
    await expect(range.getAttribute('data-to')).resolves.toBe(
      String(bad.length)
    );
    await expect(range.innerText()).resolves.toBe('<');
    await expect(
      page.locator(`${PANEL} .jp-Labbook-queryText`).innerText()
    ).resolves.toBe(bad);
    expect(await listed()).toBe('FEBA');

    // A misspelt field: the fix is one click.
    await typeQuery('parms.lr < 0.01');
    await page.click(`${PANEL} .jp-Labbook-querySuggestion`);
    await expect
      .poll(() => page.inputValue(`${PANEL} .jp-Labbook-query`))
      .toBe('params.lr < 0.01');
    await expect.poll(() => listed()).toBe('FCA');

    // Nothing user-written became HTML.
    expect(await page.locator(`${PANEL} .jp-Labbook-list img`).count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__labbookPwned)).toBe(
      undefined
    );
    expect(dialogs).toEqual([]);
  });

  it('saves the query as a view that a reloaded page picks again', async () => {
    const page = f.browser.page;
    await typeQuery(QUERY);
    await expect.poll(() => listed()).toBe('FEBA');
    await page.click(`${PANEL} .jp-Labbook-saveView`);
    await accept(page, `${XSS} view`);
    await expect
      .poll(async () =>
        (await store().listViews()).views.map(v => [v.name, v.query])
      )
      .toEqual([[`${XSS} view`, QUERY]]);

    await f.lab.reload();
    await f.lab.command('labbook:open-panel');
    await expect.poll(() => listed()).toBe('GFEDCBA');
    await page.waitForSelector(
      `${PANEL} .jp-Labbook-viewSelect option:nth-child(2)`,
      { state: 'attached' }
    );
    await page.selectOption(`${PANEL} .jp-Labbook-viewSelect`, {
      label: `${XSS} view`
    });
    await expect.poll(() => listed()).toBe('FEBA');
    await expect(page.inputValue(`${PANEL} .jp-Labbook-query`)).resolves.toBe(
      QUERY
    );
  });

  it('stars, archives and restores; archived rows show only when asked', async () => {
    const page = f.browser.page;
    await page.click(`${row('B')} .jp-Labbook-star`);
    await expect
      .poll(async () => (await store().getExperiment(ids.B)).starred)
      .toBe(true);
    await page.waitForSelector(`${row('B')}.jp-mod-starred`);
    // Clicking the star did not open the detail.
    expect(await page.locator(`${PANEL} .jp-Labbook-detail`).isHidden()).toBe(
      true
    );

    // Archive from the detail: the row goes away from the list.
    await page.click(`${row('A')} .jp-Labbook-rowName`);
    await page.click(`${PANEL} .jp-Labbook-archive`);
    await expect
      .poll(async () => (await store().getExperiment(ids.A)).archived)
      .toBe(true);
    await page.click(`${PANEL} .jp-Labbook-back`);
    await expect.poll(() => listed()).toBe('FEB');
    await page.check(`${PANEL} .jp-Labbook-showArchived`);
    await expect.poll(() => listed()).toBe('HFEBA');
    await page.waitForSelector(`${row('A')}.jp-mod-archived`);

    // Restore from the detail; the notes show as sanitised Markdown.
    await page.click(`${row('A')} .jp-Labbook-rowName`);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-notesRendered strong`).innerText()
    ).resolves.toBe('bold');
    expect(await page.locator(`${PANEL} [onerror]`).count()).toBe(0);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-archive`).innerText()
    ).resolves.toBe('Restore');
    await page.click(`${PANEL} .jp-Labbook-archive`);
    await expect
      .poll(async () => (await store().getExperiment(ids.A)).archived)
      .toBe(false);
    await page.click(`${PANEL} .jp-Labbook-back`);
    await page.uncheck(`${PANEL} .jp-Labbook-showArchived`);
    await expect.poll(() => listed()).toBe('FEBA');
  });

  it('tags a shift-click range of three rows in bulk', async () => {
    const page = f.browser.page;
    await typeQuery('');
    await expect.poll(() => listed()).toBe('GFEDCBA');
    await page.click(`${row('F')} .jp-Labbook-rowCheck`);
    await page.click(`${row('D')} .jp-Labbook-rowCheck`, {
      modifiers: ['Shift']
    });
    await expect(
      page.locator(`${PANEL} .jp-Labbook-bulkCount`).innerText()
    ).resolves.toBe('3 selected');
    // The checkboxes selected; no detail opened.
    expect(await page.locator(`${PANEL} .jp-Labbook-detail`).isHidden()).toBe(
      true
    );
    expect(await page.locator(`${ROWS}.jp-mod-selected`).count()).toBe(3);
    await page.click(`${PANEL} .jp-Labbook-bulkAddTag`);
    await accept(page, 'bulk, <b>x</b>');
    await expect
      .poll(async () => {
        const { experiments } = await store().listExperiments();
        return experiments
          .filter(e => e.tags.includes('bulk') && e.tags.includes('<b>x</b>'))
          .map(e => keyOf(e.id))
          .join('');
      })
      .toBe('FED');
    // Their other tags are kept.
    expect((await store().getExperiment(ids.E)).tags).toEqual([
      'baseline',
      XSS,
      'bulk',
      '<b>x</b>'
    ]);
    await expect
      .poll(() => page.locator(`${row('E')} .jp-Labbook-tag`).allInnerTexts())
      .toEqual(['baseline', XSS, 'bulk', '<b>x</b>']);
    await page.click(`${PANEL} .jp-Labbook-bulkClear`);
    await expect(
      page.locator(`${PANEL} .jp-Labbook-bulkBar`).isHidden()
    ).resolves.toBe(true);
  });

  it('keeps the tags two tabs add to one experiment', async () => {
    const a = f.lab;
    const b = new Lab(await f.browser.context.newPage(), f.server);
    await b.open();
    await b.command('labbook:open-panel');
    // Both tabs show D's detail before either edits it.
    await b.command('labbook:show-experiment', { id: ids.D });
    await a.page.bringToFront();
    await a.command('labbook:show-experiment', { id: ids.D });
    const input = `${PANEL} .jp-Labbook-tagsInput`;
    await a.page.fill(input, `${await a.page.inputValue(input)}, from-a`);
    await a.page.press(input, 'Enter');
    await expect
      .poll(async () => (await store().getExperiment(ids.D)).tags)
      .toContain('from-a');
    await b.page.bringToFront();
    await b.page.fill(input, `${await b.page.inputValue(input)}, from-b`);
    await b.page.press(input, 'Enter');
    await expect
      .poll(async () => (await store().getExperiment(ids.D)).tags.sort())
      .toEqual(['<b>x</b>', 'bulk', 'from-a', 'from-b', 'other']);
    // Tab A sees both once tab B's index chunk is written (a second or so).
    await a.page.bringToFront();
    await a.command('labbook:show-experiment', { id: null });
    await expect
      .poll(
        async () => {
          await a.command('labbook:refresh');
          return a.page.locator(`${row('D')} .jp-Labbook-tag`).allInnerTexts();
        },
        { timeout: 15_000 }
      )
      .toEqual(['other', 'bulk', '<b>x</b>', 'from-a', 'from-b']);
    await b.page.close();
  });

  it('deletes with confirmation: the rows and the folders go', async () => {
    const page = f.browser.page;
    // From the detail.
    await page.click(`${row('C')} .jp-Labbook-rowName`);
    await page.click(`${PANEL} .jp-Labbook-delete`);
    await page.waitForSelector('.jp-Dialog');
    await expect(
      page.locator('.jp-Dialog-body').innerText()
    ).resolves.toContain(`Delete “${XSS} C”?`);
    await accept(page);
    await expect.poll(() => listed()).toBe('GFEDBA');
    expect(existsSync(join(root(), 'experiments', ids.C))).toBe(false);

    // In bulk: the dialog says how many; cancel keeps them.
    await page.click(`${row('B')} .jp-Labbook-rowCheck`);
    await page.click(`${row('A')} .jp-Labbook-rowCheck`);
    await page.click(`${PANEL} .jp-Labbook-bulkDelete`);
    await page.waitForSelector('.jp-Dialog');
    await expect(page.locator('.jp-Dialog-body').innerText()).resolves.toMatch(
      /^Delete 2 experiments\?/
    );
    await page.click('.jp-Dialog .jp-mod-reject');
    expect(await listed()).toBe('GFEDBA');
    await page.click(`${PANEL} .jp-Labbook-bulkDelete`);
    await accept(page);
    await expect.poll(() => listed()).toBe('GFED');
    expect(existsSync(join(root(), 'experiments', ids.A))).toBe(false);
    expect(existsSync(join(root(), 'experiments', ids.B))).toBe(false);
    expect(existsSync(join(root(), 'experiments', ids.D))).toBe(true);
    expect(await page.evaluate(() => (window as any).__labbookPwned)).toBe(
      undefined
    );
  });
});
