/**
 * Debian's Chromium driven by playwright-core: headless, fresh profile, no
 * background networking (this machine's network is closed). Records the
 * console and page errors; saves a screenshot and the log on failure.
 */
import {
  BrowserContext,
  chromium,
  ConsoleMessage,
  Page
} from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = join(ROOT, 'test-results');

export interface IConsoleEntry {
  type: string;
  text: string;
  location?: string;
}

export interface IBrowser {
  context: BrowserContext;
  page: Page;
  /** Console messages and page errors, in order. */
  console: IConsoleEntry[];
  /** Console errors and uncaught page errors. */
  errors(): IConsoleEntry[];
  /** Save `<name>.png` and `<name>.console.txt` under test-results/. */
  saveArtifacts(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<IBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'labbook-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage'
    ]
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const entries: IConsoleEntry[] = [];
  const watch = (p: Page) => {
    p.on('console', (msg: ConsoleMessage) => {
      const loc = msg.location();
      entries.push({
        type: msg.type(),
        text: msg.text(),
        location: loc.url ? `${loc.url}:${loc.lineNumber}` : undefined
      });
    });
    p.on('pageerror', error =>
      entries.push({ type: 'pageerror', text: String(error.stack ?? error) })
    );
  };
  watch(page);
  context.on('page', watch);
  let closed = false;
  return {
    context,
    page,
    console: entries,
    errors: () =>
      entries.filter(e => e.type === 'error' || e.type === 'pageerror'),
    saveArtifacts: async (name: string) => {
      mkdirSync(RESULTS, { recursive: true });
      const safe = name.replace(/[^\w.-]+/g, '_').slice(0, 120);
      try {
        await page.screenshot({ path: join(RESULTS, `${safe}.png`) });
      } catch {
        // page may be gone
      }
      writeFileSync(
        join(RESULTS, `${safe}.console.txt`),
        entries.map(e => `[${e.type}] ${e.text} ${e.location ?? ''}`).join('\n')
      );
    },
    close: async () => {
      if (closed) {
        return;
      }
      closed = true;
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    }
  };
}
