// Webpack entry of the development JupyterLab. It mirrors JupyterLab's own
// dev_mode bootstrap: set the public path, load the prebuilt (federated)
// extensions listed in the page config, initialise the shared module scope,
// then start the application.
function readPageConfig() {
  const el = document.getElementById('jupyter-config-data');
  return el ? JSON.parse(el.textContent || '{}') : {};
}

const pageConfig = readPageConfig();
// eslint-disable-next-line no-undef
__webpack_public_path__ = pageConfig.fullStaticUrl + '/';

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onerror = () =>
      reject(new Error(`Failed to load prebuilt extension script ${url}`));
    script.onload = resolve;
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

async function loadFederated() {
  const extensions = pageConfig.federated_extensions || [];
  const base = pageConfig.fullLabextensionsUrl;
  const results = await Promise.allSettled(
    extensions.map(ext => loadScript(`${base}/${ext.name}/${ext.load}`))
  );
  results
    .filter(r => r.status === 'rejected')
    .forEach(r => console.error(r.reason));

  // eslint-disable-next-line no-undef
  await __webpack_init_sharing__('default');
  for (const ext of extensions) {
    const container = window._JUPYTERLAB && window._JUPYTERLAB[ext.name];
    if (container) {
      // eslint-disable-next-line no-undef
      await container.init(__webpack_share_scopes__.default);
    }
  }
}

window.addEventListener('load', async () => {
  await loadFederated();
  const { main } = await import('./index.js');
  await main();
});
