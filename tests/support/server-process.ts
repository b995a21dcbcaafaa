import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Runs the production server (`node --import tsx src/server.ts` over the built app, as
 * `npm run serve` does) as its own process, for process-level tests and benchmarks.
 * Not through the `tsx` command: it kills its child outright when the child's event loop is
 * busy for 30 ms after a SIGTERM, which under load skipped the orderly shutdown and left
 * PostgreSQL and PostgREST running.
 */
export interface ServerProcess {
	child: ChildProcess;
	url: string;
	output: () => string;
	stop: () => Promise<number | null>;
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
	const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/server.ts')], {
		env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	// SERVER_LOG=1 shows the server's own log as it runs (to see why a request failed).
	const show = process.env.SERVER_LOG ? (chunk: Buffer) => process.stderr.write(chunk) : () => {};
	child.stdout!.on('data', (chunk: Buffer) => ((output += chunk), show(chunk)));
	child.stderr!.on('data', (chunk: Buffer) => ((output += chunk), show(chunk)));
	const stop = () =>
		new Promise<number | null>((done) => {
			if (child.exitCode !== null) return done(child.exitCode);
			child.once('exit', (code) => done(code));
			child.kill('SIGTERM');
		});
	return new Promise((ready, fail) => {
		const timer = setTimeout(() => fail(new Error(`no start-up within ${timeoutMs} ms:\n${output}`)), timeoutMs);
		child.stdout!.on('data', () => {
			const match = /running at (https?:\/\/\S+?)\/?\s/.exec(output);
			if (match) {
				clearTimeout(timer);
				ready({ child, url: match[1]!, output: () => output, stop });
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			fail(new Error(`exited with ${code}:\n${output}`));
		});
	});
}
