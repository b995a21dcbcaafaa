import { spawn, type ChildProcess } from 'node:child_process';

const children = new Map<ChildProcess, NodeJS.Signals>();
let listening = false;

/**
 * However this process ends (process.exit included, as a test runner that gives up waiting
 * does), `child` gets `signal` as it goes, if it still runs: no PostgreSQL or PostgREST runs on
 * unseen after its app. Only a SIGKILL of this process can leave them behind (the next start
 * stops a PostgreSQL left on its data folder).
 */
export function endWithThisProcess(child: ChildProcess, signal: NodeJS.Signals) {
	if (!listening) {
		listening = true;
		process.once('exit', () => children.forEach((sent, running) => running.kill(sent)));
	}
	children.set(child, signal);
	child.once('exit', () => children.delete(child));
}

/**
 * As endWithThisProcess, and even when this process is killed outright (SIGKILL, the
 * out-of-memory killer, a test runner's last resort): a small shell loop, in a process group of
 * its own, checks every second that this process is still there and, once it is gone, signals
 * `child`. It goes when `child` does. For PostgREST, which nothing else would stop (a
 * PostgreSQL left behind is stopped by the next start; see embedded-postgres.ts). Not on Windows.
 */
export function endWithThisProcessEvenIfKilled(child: ChildProcess, signal: NodeJS.Signals) {
	endWithThisProcess(child, signal);
	if (process.platform === 'win32' || !child.pid) return;
	const watchdog = spawn(
		'sh',
		['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -s "$2" "$3" 2>/dev/null', 'watchdog', String(process.pid), signal.replace(/^SIG/, ''), String(child.pid)],
		{ stdio: 'ignore', detached: true }
	);
	watchdog.on('error', () => {});
	watchdog.unref();
	child.once('exit', () => watchdog.kill());
}
