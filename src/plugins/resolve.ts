// Which file a -plugin value names: a path (anything with a '/', or an existing file), or
// a shipped plugin by name (`hotblocks`, `hotblocks.mjs`, QEMU's `libhotblocks.so`).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's plugins/ folder: beside dist/ (bundle) or two levels above src/plugins/. */
export function shippedPluginsDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'plugins');
    if (existsSync(join(candidate, 'api.d.ts'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

export function shippedPluginNames(dir = shippedPluginsDir()): string[] {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mjs'))
    .map((f) => f.slice(0, -4))
    .sort();
}

export type Resolution = { path: string } | { error: string };

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The shipped plugin a QEMU-style or file-style name refers to ("libbb.so" -> "bb"). */
function shippedName(file: string): string {
  return file.replace(/^lib(.+)\.so$/, '$1').replace(/\.(mjs|js)$/, '');
}

export function resolvePlugin(file: string, cwd = process.cwd()): Resolution {
  const local = resolve(cwd, file);
  const looksLikePath = file.includes('/');
  if (isFile(local) && !file.endsWith('.so')) return { path: local };
  const dir = shippedPluginsDir();
  const name = shippedName(file.split('/').pop()!);
  const shipped = dir ? join(dir, `${name}.mjs`) : undefined;
  if (file.endsWith('.so')) {
    const hint = shipped && isFile(shipped) ? `; the shipped '${name}' plugin is its counterpart: -plugin ${name}` : '';
    return { error: `${file} is a QEMU shared-object plugin; tsqemu loads ES modules (.mjs/.js)${hint}` };
  }
  if (!looksLikePath && shipped && isFile(shipped)) return { path: shipped };
  const names = shippedPluginNames(dir);
  const listed = names.length ? ` (shipped plugins: ${names.join(', ')})` : '';
  return looksLikePath ? { error: `cannot find ${local}` } : { error: `no file ${local} and no shipped plugin named '${name}'${listed}` };
}
