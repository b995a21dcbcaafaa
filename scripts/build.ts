/**
 * The production build as `npm start`, `npm test` and the benches run it: `vite build` with its
 * hundreds of lines (every chunk, Rolldown's notes) kept in `.svelte-kit/build.log` and one
 * line said here, so the start-up banner stays on screen. The whole output shows here with
 * LOG_LEVEL=debug (or trace), or when the build fails. `npm run build` is plain `vite build`.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
const logFile = join(process.cwd(), '.svelte-kit', 'build.log');
const started = performance.now();

await mkdir(dirname(logFile), { recursive: true });
const log = createWriteStream(logFile);
process.stdout.write('  Building Buurtbord… ');
const child = spawn(process.execPath, [vite, 'build'], { stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
child.stdout?.pipe(log, { end: false });
child.stderr?.pipe(log, { end: false });
const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
await new Promise((resolve) => log.end(resolve));

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (code !== 0) {
	process.stdout.write('failed.\n');
	if (!verbose) process.stderr.write(await readFile(logFile, 'utf8'));
	process.exit(code);
}
process.stdout.write(`done in ${seconds} s${verbose ? '' : ` (details: ${relative(process.cwd(), logFile)}; LOG_LEVEL=debug shows them here)`}.\n`);
