/**
 * Connection settings for a Jupyter server given by URL and token, usable
 * from Node (`@jupyterlab/services` brings `ws` there; Node has `fetch`)
 * and from a page talking to another server than its own.
 */
import { ServerConnection } from '@jupyterlab/services';

export function serverSettings(
  url: string,
  token: string
): ServerConnection.ISettings {
  const baseUrl = url.endsWith('/') ? url : `${url}/`;
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    token,
    appendToken: true,
    init: { cache: 'no-store' }
  });
}
