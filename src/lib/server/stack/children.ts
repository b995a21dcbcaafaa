import type { ChildProcess } from 'node:child_process';

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
