// The development JupyterLab: core plugins bundled here, prebuilt extensions
// (Labbook among them) loaded through module federation, as in JupyterLab's
// own dev_mode.
import { PageConfig } from '@jupyterlab/coreutils';
import { PluginRegistry } from '@lumino/coreutils';
import './build/style.js';
import { extensions, mimeExtensions } from './build/imports.js';

async function createModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  const instance = factory();
  instance.__scope__ = scope;
  return instance;
}

/** Plugins that need packages this app leaves out. */
function isUnsupported(id) {
  return id.includes(':language-server');
}

export async function main() {
  const { JupyterLab } = await import('@jupyterlab/application');
  const pluginRegistry = new PluginRegistry();
  const disabled = [];
  const allPlugins = [];

  function* activePlugins(extension) {
    const exported = Object.prototype.hasOwnProperty.call(
      extension,
      '__esModule'
    )
      ? extension.default
      : extension;
    const plugins = Array.isArray(exported) ? exported : [exported];
    for (const plugin of plugins) {
      const isDisabled =
        PageConfig.Extension.isDisabled(plugin.id) || isUnsupported(plugin.id);
      allPlugins.push({
        id: plugin.id,
        description: plugin.description,
        requires: plugin.requires ?? [],
        optional: plugin.optional ?? [],
        provides: plugin.provides ?? null,
        autoStart: plugin.autoStart,
        enabled: !isDisabled,
        extension: extension.__scope__
      });
      if (isDisabled) {
        disabled.push(plugin.id);
        continue;
      }
      yield plugin;
    }
  }

  const federated = JSON.parse(PageConfig.getOption('federated_extensions'));
  const federatedNames = federated.map(data => data.name);
  const extensionPromises = [];
  const mimePromises = [];
  const stylePromises = [];
  for (const data of federated) {
    if (data.extension) {
      extensionPromises.push(createModule(data.name, data.extension));
    }
    if (data.mimeExtension) {
      mimePromises.push(createModule(data.name, data.mimeExtension));
    }
    if (data.style && !PageConfig.Extension.isDisabled(data.name)) {
      stylePromises.push(createModule(data.name, data.style));
    }
  }

  const register = [];
  const mimePlugins = [];
  for (const [name, load] of mimeExtensions) {
    if (!federatedNames.includes(name)) {
      const ext = await load();
      ext.__scope__ = name;
      mimePlugins.push(...activePlugins(ext));
    }
  }
  for (const result of await Promise.allSettled(mimePromises)) {
    if (result.status === 'fulfilled') {
      mimePlugins.push(...activePlugins(result.value));
    } else {
      console.error(result.reason);
    }
  }
  for (const [name, load] of extensions) {
    if (!federatedNames.includes(name)) {
      const ext = await load();
      ext.__scope__ = name;
      register.push(...activePlugins(ext));
    }
  }
  for (const result of await Promise.allSettled(extensionPromises)) {
    if (result.status === 'fulfilled') {
      register.push(...activePlugins(result.value));
    } else {
      console.error(result.reason);
    }
  }
  for (const result of await Promise.allSettled(stylePromises)) {
    if (result.status === 'rejected') {
      console.error(result.reason);
    }
  }

  pluginRegistry.registerPlugins(register);
  const { IConnectionStatus } =
    await import('@jupyterlab/application/lib/tokens.js');
  const { IServiceManager } =
    await import('@jupyterlab/services/lib/tokens.js');
  const connectionStatus =
    await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const serviceManager =
    await pluginRegistry.resolveOptionalService(IServiceManager);

  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager,
    connectionStatus,
    mimeExtensions: mimePlugins,
    disabled: {
      matches: disabled,
      patterns: PageConfig.Extension.disabled.map(val => val.raw)
    },
    availablePlugins: allPlugins
  });
  await lab.start({ bubblingKeydown: true });
  // The end-to-end tests drive the app through this handle.
  window.jupyterapp = lab;
}
