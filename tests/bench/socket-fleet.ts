import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FleetCommand, FleetReply } from './socket-clients.ts';

/** `performance.timeOrigin + performance.now()`: the clock both processes use. */
export const clock = () => performance.timeOrigin + performance.now();

/**
 * The soft and hard limit on open files of this process's children (each socket is one);
 * the clients get the hard limit when the soft one is too low for `needed`.
 */
export function fileLimits(): { soft: number; hard: number } {
	const read = (flag: string) => Number(execFileSync('sh', ['-c', `ulimit ${flag}`], { encoding: 'utf8' }).trim()) || Infinity;
	return { soft: read('-Sn'), hard: read('-Hn') };
}

export interface SocketFleet {
	pid: number;
	send(command: FleetCommand): Promise<FleetReply & { ok: true }>;
	/** Offset of the clients' clock from ours, in ms (positive: theirs is ahead), from the median of ten round trips. */
	clockOffset(): Promise<number>;
	stop(): Promise<void>;
}

/** Starts the clients' process (tests/bench/socket-clients.ts) with room for `sockets` open sockets. */
export async function startSocketFleet(sockets: number): Promise<SocketFleet> {
	const limits = fileLimits();
	const needed = sockets + 200;
	if (limits.hard < needed) throw new Error(`ulimit -Hn is ${limits.hard}; ${needed} open files are needed`);
	const raise = limits.soft < needed ? [`ulimit -n ${Math.min(limits.hard, needed * 2)} &&`] : [];
	// Through sh so the limit can be raised for the child only; node inherits the IPC channel.
	const child: ChildProcess = fork(resolve('tests/bench/socket-clients.ts'), [], {
		execPath: 'sh',
		execArgv: ['-c', `${raise.join(' ')} exec "${process.execPath}" --import tsx "$0" "$@"`],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	await new Promise<void>((ready, fail) => {
		child.once('message', () => ready());
		child.once('exit', (code) => fail(new Error(`socket clients exited with ${code}`)));
	});
	let nextId = 0;
	const waiting = new Map<number, (reply: FleetReply) => void>();
	// Once the clients are gone (Ctrl-C reaches them too), every question fails instead of hanging.
	child.on('error', () => undefined);
	child.once('exit', () => {
		for (const done of waiting.values()) done({ ok: false, error: 'socket clients exited' });
		waiting.clear();
	});
	child.on('message', (message: { id?: number; reply?: FleetReply }) => {
		if (message.id !== undefined) waiting.get(message.id)?.(message.reply!);
		if (message.id !== undefined) waiting.delete(message.id);
	});
	const send = (command: FleetCommand) =>
		new Promise<FleetReply & { ok: true }>((done, fail) => {
			if (!child.connected) return fail(new Error('socket clients exited'));
			const id = nextId++;
			waiting.set(id, (reply) => (reply.ok ? done(reply) : fail(new Error(reply.error))));
			child.send({ id, command });
		});
	return {
		pid: child.pid!,
		send,
		async clockOffset() {
			const offsets: number[] = [];
			for (let i = 0; i < 10; i++) {
				const before = clock();
				const { clock: theirs } = await send({ cmd: 'clock' });
				const after = clock();
				offsets.push(theirs! - (before + after) / 2);
			}
			return offsets.sort((a, b) => a - b)[5]!;
		},
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((done) => child.once('exit', done));
			child.send({ id: -1, command: { cmd: 'exit' } });
			await Promise.race([exited, new Promise((done) => setTimeout(done, 3000))]);
			if (child.exitCode === null) child.kill();
		}
	};
}

/**
 * Several client processes as one fleet, socket k in process k mod `processes`: real phones
 * each apply what they receive on their own processor, so a benchmark of a thousand viewers
 * that does all their work in one process measures that process's queue, not the server.
 * One process per core is as much as this machine can run at once. Replies are merged; the
 * events recorded for a topic are those of its first socket (as with one process).
 */
export async function startFleets(sockets: number, processes: number): Promise<SocketFleet> {
	const parts = await Promise.all(Array.from({ length: processes }, () => startSocketFleet(Math.ceil(sockets / processes))));
	const mine = <T>(list: T[] | undefined, part: number) => list?.filter((_, k) => k % processes === part);
	const merge = (into: Record<string, number[]>, from: Record<string, number[]> | undefined) => {
		for (const [key, list] of Object.entries(from ?? {})) (into[key] ??= []).push(...list);
		return into;
	};
	const send = async (command: FleetCommand): Promise<FleetReply & { ok: true }> => {
		if (command.cmd === 'clock') return parts[0]!.send(command);
		const replies = await Promise.all(
			parts.map((part, i) =>
				command.cmd === 'connect'
					? part.send({
							...command,
							count: Array.from({ length: command.count }, (_, k) => k).filter((k) => k % processes === i).length,
							topics: mine(command.topics ?? Array.from({ length: command.count }, () => command.topic), i),
							cookies: mine(command.cookies, i),
							memberIds: mine(command.memberIds, i)
						})
					: part.send(command)
			)
		);
		const sum = (field: 'connected' | 'failed' | 'count' | 'showing' | 'reloads' | 'resyncs' | 'missed') =>
			replies.some((r) => r[field] !== undefined) ? replies.reduce((total, r) => total + (r[field] ?? 0), 0) : undefined;
		const arrivals = replies.some((r) => r.arrivals) ? replies.reduce((all, r) => merge(all, r.arrivals as Record<string, number[]>), {} as Record<string, number[]>) : undefined;
		const recorded = replies.some((r) => r.recorded) ? Object.assign({}, ...replies.map((r) => r.recorded ?? {}).reverse()) : undefined;
		let drained: Record<string, Record<number, number[]>> | undefined;
		if (replies.some((r) => r.drained)) {
			drained = {};
			for (const r of replies) for (const [fleet, byKey] of Object.entries(r.drained ?? {})) merge((drained[fleet] ??= {}), byKey);
		}
		return {
			ok: true,
			connected: sum('connected'),
			failed: sum('failed'),
			count: sum('count'),
			showing: sum('showing'),
			reloads: sum('reloads'),
			resyncs: sum('resyncs'),
			missed: sum('missed'),
			arrivals,
			recorded,
			drained
		};
	};
	return {
		pid: parts[0]!.pid,
		send,
		clockOffset: () => parts[0]!.clockOffset(),
		stop: async () => void (await Promise.all(parts.map((part) => part.stop())))
	};
}

/** Resident memory of a process, in KiB (VmRSS in /proc/<pid>/status). */
export async function residentKiB(pid: number): Promise<number> {
	const status = await readFile(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
}

/** The process running src/server.ts: the launcher itself, or the deepest node below it running server.ts (as under the `tsx` command). */
export async function serverNodePid(launcherPid: number): Promise<number> {
	let pid = launcherPid;
	for (;;) {
		const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
		let next: number | undefined;
		for (const child of children) {
			const cmdline = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
			if (cmdline.includes('server.ts')) next = Number(child);
		}
		if (next === undefined) return pid;
		pid = next;
	}
}

export function percentile(sorted: number[], p: number) {
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

/** CPU time a process has used so far (user + system), in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export async function cpuMs(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU ms used so far by a process and all its descendants, summed per command name (postgres, postgrest, node…). */
export async function treeCpuMs(rootPid: number): Promise<Map<number, { comm: string; ms: number }>> {
	const found = new Map<number, { comm: string; ms: number }>();
	const visit = async (pid: number) => {
		const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
		if (!comm) return;
		found.set(pid, { comm, ms: await cpuMs(pid).catch(() => 0) });
		const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean);
		for (const child of children) await visit(Number(child));
	};
	await visit(rootPid);
	return found;
}

/** CPU used between two snapshots, per command name. */
export function cpuBetween(before: Map<number, { comm: string; ms: number }>, after: Map<number, { comm: string; ms: number }>) {
	const used = new Map<string, number>();
	for (const [pid, { comm, ms }] of after) used.set(comm, (used.get(comm) ?? 0) + ms - (before.get(pid)?.ms ?? 0));
	return used;
}
