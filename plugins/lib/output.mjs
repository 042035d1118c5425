// Where a shipped plugin writes its report: tsqemu's plugin output (stderr or the -D file)
// by default, or `outfile=PATH`; `format=json` writes one JSON object per line (for jq).
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * @param {import('../api.js').PluginApi} api
 * @param {import('../api.js').PluginArgs} args
 */
export function output(api, args) {
  const json = args.choice('format', ['text', 'json'], 'text') === 'json';
  const file = args.get('outfile');
  const fd = file !== undefined ? openSync(file, 'w') : undefined;
  /** @param {string} s */
  const write = (s) => (fd === undefined ? api.outs(s) : writeSync(fd, s));
  return {
    json,
    text: write,
    /** @param {unknown} obj */
    record: (obj) => write(JSON.stringify(obj) + '\n'),
    close: () => {
      if (fd !== undefined) closeSync(fd);
    },
  };
}
