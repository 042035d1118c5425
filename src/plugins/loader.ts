// Loading plugins: resolve each -plugin value to a module, import it, and call its
// `install(register, args)`. Only `register({ apiVersion, name, license })` with a
// supported version hands out the API. Every failure becomes one PluginError line naming
// the plugin, what went wrong and what to do (exit status 1).
import { pathToFileURL } from 'node:url';
import { PluginError } from '../errors.js';
import { createApi } from './api.js';
import { PluginArgs, PluginArgumentError } from './args.js';
import type { PluginHost } from './host.js';
import { LoadedPlugin } from './plugin.js';
import { resolvePlugin } from './resolve.js';
import type { PluginSpec } from './spec.js';
import { API_MIN_VERSION, API_VERSION } from './version.js';
import { importModule } from './import-module.js';

const SUPPORTED = API_MIN_VERSION === API_VERSION ? `version ${API_VERSION}` : `versions ${API_MIN_VERSION} to ${API_VERSION}`;

/** register() refused the plugin: reported even if the plugin caught it. */
class Refusal extends Error {}

/** The first line of an import failure, with the file position of a syntax error. */
function importFailure(e: unknown, path: string): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: string }).code;
  if (code === 'ERR_MODULE_NOT_FOUND') return `cannot load ${path}: ${e.message.split('\n')[0]}`;
  if (e instanceof SyntaxError) {
    // Node puts "file:///path:LINE" as the stack's first line for ESM syntax errors.
    const where = /^(file:\/\/\S+?:\d+)/m.exec(e.stack ?? '')?.[1];
    const at = where ? ` at ${where.replace(/^file:\/\//, '')}` : '';
    return `syntax error in ${path}${at}: ${e.message}`;
  }
  return `cannot load ${path}: ${e.name}: ${e.message.split('\n')[0]}`;
}

function checkRegistration(reg: unknown, typed: string): { apiVersion: number; name: string; license: string } {
  const r = reg as { apiVersion?: unknown; name?: unknown; license?: unknown } | null;
  const usage = "call register({ apiVersion: 1, name: 'my-plugin', license: 'MIT' })";
  if (typeof r !== 'object' || r === null) throw new Refusal(`register() needs an object: ${usage}`);
  if (typeof r.apiVersion !== 'number' || !Number.isInteger(r.apiVersion)) throw new Refusal(`register() needs an integer apiVersion: ${usage}`);
  if (r.apiVersion > API_VERSION) {
    throw new Refusal(`plugin requires API version ${r.apiVersion}, but this tsqemu supports only ${SUPPORTED}; use a newer tsqemu, or a release of the plugin written for API ${API_VERSION}`);
  }
  if (r.apiVersion < API_MIN_VERSION) {
    throw new Refusal(`plugin was written for API version ${r.apiVersion}, but this tsqemu supports only ${SUPPORTED}; update the plugin (see "Version policy" in plugins/README.md)`);
  }
  if (typeof r.license !== 'string' || r.license.trim() === '') throw new Refusal(`register() needs the plugin's license (e.g. license: 'MIT'): ${usage}`);
  const name = typeof r.name === 'string' && r.name.trim() !== '' ? r.name : typed;
  return { apiVersion: r.apiVersion, name, license: r.license };
}

async function loadOne(host: PluginHost, spec: PluginSpec, id: number): Promise<LoadedPlugin> {
  const found = resolvePlugin(spec.file);
  if ('error' in found) throw new PluginError(spec.file, found.error);
  let mod: Record<string, unknown>;
  try {
    mod = (await importModule(pathToFileURL(found.path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new PluginError(spec.file, importFailure(e, found.path));
  }
  const install = mod['install'];
  if (typeof install !== 'function') {
    throw new PluginError(spec.file, `${found.path} does not export an install function (export function install(register, args) { ... })`);
  }
  const plugin = new LoadedPlugin(id, spec.file, found.path);
  let refusal: Refusal | undefined;
  let api: object | undefined;
  const register = (reg: unknown) => {
    if (api) throw new Refusal('register() may be called only once');
    try {
      const checked = checkRegistration(reg, spec.file);
      plugin.name = checked.name;
      plugin.apiVersion = checked.apiVersion;
      plugin.license = checked.license;
    } catch (e) {
      refusal = e as Refusal;
      throw e;
    }
    host.plugins.push(plugin);
    api = createApi(host, plugin);
    return api;
  };
  let result: unknown;
  try {
    result = await (install as (register: unknown, args: PluginArgs) => unknown)(register, new PluginArgs(spec.args));
  } catch (e) {
    if (refusal) throw new PluginError(spec.file, refusal.message);
    if (e instanceof PluginArgumentError) throw new PluginError(plugin.name, e.message);
    if (e instanceof PluginError) throw e;
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new PluginError(plugin.name, `install failed: ${message.split('\n')[0]}`);
  }
  if (refusal) throw new PluginError(spec.file, refusal.message);
  if (!api) throw new PluginError(spec.file, `install returned without calling register() (${'call register({ apiVersion: 1, name, license }) first'})`);
  if (result === false || (typeof result === 'number' && result !== 0)) {
    throw new PluginError(plugin.name, `install returned error code ${String(result)}`);
  }
  host.config.log.log('plugin', `plugin ${plugin.name}: loaded ${found.path} (API version ${plugin.apiVersion}, license ${plugin.license})\n`);
  return plugin;
}

/**
 * Load every plugin in command-line order. If one fails, the ones already installed still
 * get their exit callbacks (as with QEMU), then the error propagates.
 */
export async function loadPlugins(host: PluginHost, specs: readonly PluginSpec[]): Promise<void> {
  try {
    for (const [i, spec] of specs.entries()) await loadOne(host, spec, i);
  } catch (e) {
    try {
      host.atexit();
    } catch {
      // the load error is the one to report
    }
    throw e;
  } finally {
    host.installing = false;
  }
}
