/**
 * A bench against the real app: a fresh Jupyter server and browser for
 * `fn`, both closed whatever happens (the same harness as the e2e tests).
 */
import { launchBrowser } from '../test/e2e/harness/browser';
import { Lab } from '../test/e2e/harness/lab';
import {
  IServer,
  IServerOptions,
  startServer
} from '../test/e2e/harness/server';

export async function withLab<T>(
  fn: (lab: Lab, server: IServer) => Promise<T>,
  options: IServerOptions = {}
): Promise<T> {
  const server = await startServer(options);
  try {
    const browser = await launchBrowser();
    try {
      return await fn(new Lab(browser.page, server), server);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
}
