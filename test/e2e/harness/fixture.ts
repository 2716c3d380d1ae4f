/**
 * One server and one browser per test file, torn down whatever happens; a
 * failing test leaves a screenshot and the console log in test-results/.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { IBrowser, launchBrowser } from './browser';
import { Lab } from './lab';
import { IServer, IServerOptions, startServer } from './server';

export interface ILabFixture {
  server: IServer;
  browser: IBrowser;
  lab: Lab;
}

export function useLab(options: IServerOptions = {}): ILabFixture {
  const fixture = {} as ILabFixture;
  beforeAll(async () => {
    fixture.server = await startServer(options);
    fixture.browser = await launchBrowser();
    fixture.lab = new Lab(fixture.browser.page, fixture.server);
  });
  afterEach(async ctx => {
    if (ctx.task.result?.state === 'fail' && fixture.browser) {
      await fixture.browser.saveArtifacts(
        `${ctx.task.file?.name ?? ''}-${ctx.task.name}`
      );
    }
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}
