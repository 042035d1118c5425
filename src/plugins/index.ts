// The plugin subsystem's entry, imported lazily by main.ts only when -plugin is given.
import { PluginHost, type HostConfig } from './host.js';
import { loadPlugins } from './loader.js';
import { parsePluginSpecs } from './spec.js';

export { PluginHost } from './host.js';

/** Parse the -plugin values, load and install every plugin; resolves with the host. */
export async function startPlugins(values: readonly string[], config: HostConfig): Promise<PluginHost> {
  const specs = parsePluginSpecs(values);
  const host = new PluginHost(config);
  await loadPlugins(host, specs);
  return host;
}
