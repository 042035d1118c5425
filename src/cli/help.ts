// Texts printed by -h, -version, -cpu help and -d help, laid out like qemu-arm 7.2's.
import type { Target } from '../engine/target.js';
import { LOG_ITEMS } from '../log/log.js';
import { DEFAULT_STACK_SIZE, OPTION_TABLE } from './options.js';

export const VERSION = '0.1.0';

export function programName(target: Target): string {
  return `tsqemu-${target.name}`;
}

/** `-h`: usage, the option table with environment variables, and the -E/-U notes. */
export function helpText(target: Target): string {
  const rows: [string, string, string][] = [];
  for (const spec of OPTION_TABLE) {
    const [first, ...aliases] = spec.names;
    rows.push([`-${first!}${spec.arg !== undefined ? ` ${spec.arg}` : ''}`, spec.env ?? '', spec.help]);
    for (const alias of aliases) rows.push([`-${alias}`, '', `same as -${first!}`]);
  }
  const argWidth = Math.max('Argument'.length, ...rows.map((r) => r[0].length));
  const envWidth = Math.max('Env-variable'.length, ...rows.map((r) => r[1].length));
  const line = (a: string, e: string, d: string): string => `${a.padEnd(argWidth)} ${e.padEnd(envWidth)} ${d}`.trimEnd();
  const name = programName(target);
  return [
    `usage: ${name} [options] program [arguments...]`,
    `Linux CPU emulator (compiled for ${target.name} emulation)`,
    '',
    'Options and associated environment variables:',
    '',
    line('Argument', 'Env-variable', 'Description'),
    ...rows.map(([a, e, d]) => line(a, e, d)),
    '',
    'Defaults:',
    `QEMU_STACK_SIZE = ${DEFAULT_STACK_SIZE} byte`,
    `QEMU_CPU        = ${target.defaultCpu}`,
    '',
    'You can use -E and -U options or the QEMU_SET_ENV and',
    'QEMU_UNSET_ENV environment variables to set and unset',
    'environment variables for the target process.',
    'It is possible to provide several variables by separating them',
    'by commas in getsubopt(3) style. Additionally it is possible to',
    'provide the -E and -U options multiple times.',
    'The following lines are equivalent:',
    '    -E var1=val2 -E var2=val2 -U LD_PRELOAD -U LD_DEBUG',
    '    -E var1=val2,var2=val2 -U LD_PRELOAD,LD_DEBUG',
    '    QEMU_SET_ENV=var1=val2,var2=val2 QEMU_UNSET_ENV=LD_PRELOAD,LD_DEBUG',
    'Note that if you provide several changes to a single variable',
    'the last change will stay in effect.',
    '',
    `Options may also be spelled with two dashes (--cpu). Options end at the program name.`,
    '',
  ].join('\n');
}

export function versionText(target: Target): string {
  return `${programName(target)} version ${VERSION} (tsqemu)\nA user-mode Linux emulator in TypeScript, compatible with qemu-${target.name} 7.2's command line\n`;
}

/** `-cpu help`. */
export function cpuListText(target: Target): string {
  const width = Math.max(...target.cpuModels.map((m) => m.name.length));
  const lines = target.cpuModels.map((m) => `  ${m.name.padEnd(width)}  ${m.description}${m.name === target.defaultCpu ? ' (default)' : ''}`);
  return `Available CPUs:\n${lines.join('\n')}\n`;
}

/** `-d help`. */
export function logItemsText(): string {
  const width = Math.max(15, ...LOG_ITEMS.map((i) => i.name.length));
  const lines = LOG_ITEMS.map((i) => `${i.name.padEnd(width)} ${i.help}`);
  return `Log items (comma separated):\n${lines.join('\n')}\n${'all'.padEnd(width)} all of the above\n`;
}
