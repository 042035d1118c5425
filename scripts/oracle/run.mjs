#!/usr/bin/env node
// Bundle scripts/oracle/cli.ts (and the tsqemu sources it imports) with esbuild into a
// temporary file and run it with node: Node 20 cannot run TypeScript by itself.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tsqemu-oracle-cli-'));
const out = join(dir, 'oracle-cli.mjs');
// the CLI ends with process.exit(): clean up on exit, not after the import
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
await build({ entryPoints: [join(here, 'cli.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'warning' });
await import(pathToFileURL(out).href);
