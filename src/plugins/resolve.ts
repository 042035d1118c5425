// Which file a -plugin value names: a path (anything with a '/', or an existing file), or
// a shipped plugin by name (`hotblocks`, `hotblocks.mjs`, QEMU's `libhotblocks.so`).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

/**
 * `-plugin help`: each shipped plugin with what its first comment line says
 * ("// hotblocks: the most executed blocks (...)" -> "the most executed blocks (...)").
 */
export function pluginListText(dir = shippedPluginsDir()): string {
  const names = shippedPluginNames(dir);
  if (!dir || names.length === 0) return 'no shipped plugins found (plugins/ is missing beside the tsqemu bundle)\n';
  const width = Math.max(...names.map((n) => n.length));
  const rows = names.map((name) => {
    // the header comment's first sentence, without the "(QEMU's ...)" source note
    const header: string[] = [];
    for (const line of readFileSync(join(dir, `${name}.mjs`), 'utf8').split('\n')) {
      const text = /^\/\/\s?(.*)$/.exec(line)?.[1];
      if (text === undefined || /^(Args|Output)\b/.test(text)) break;
      header.push(text.trim());
    }
    const sentence = header.join(' ').replace(new RegExp(`^${name}:\\s*`), '').split(/\.(\s|$)/)[0]!;
    const about = sentence.replace(/\s*\(QEMU's [^)]*\)/, '');
    return `  ${name.padEnd(width)}  ${about}`;
  });
  return ['Shipped plugins (-plugin NAME[,arg=value...]; arguments in plugins/README.md):', ...rows, ''].join('\n');
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
