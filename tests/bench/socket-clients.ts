/**
 * Board sockets for the benchmarks, in their own process (started by socket-fleet.ts with an
 * IPC channel), so the server under test never shares an event loop with its clients.
 *
 * Each socket watches one topic and notes, per board state, when it first saw it: the key is
 * the `going` count of the payload, which grows by one with every sign-up, so a client that
 * sees going = 7 has seen sign-ups 1…7 (a later summary may carry an earlier change).
 * Times are `performance.timeOrigin + performance.now()`: milliseconds on the machine's
 * clock, comparable between processes on one machine (the parent checks the offset).
 */
import { io, type Socket } from 'socket.io-client';

export type FleetCommand =
	| { cmd: 'connect'; fleet: string; url: string; count: number; topic: string; watch: boolean }
	| { cmd: 'reset'; fleet: string }
	| { cmd: 'collect'; fleet: string }
	/** Arrivals so far of every fleet whose name starts with `prefix`, forgotten once sent (unlike `reset`, sockets keep what they saw). */
	| { cmd: 'drain'; prefix: string }
	| { cmd: 'disconnect'; fleet: string }
	| { cmd: 'clock' }
	| { cmd: 'exit' };

export type FleetReply =
	| {
			ok: true;
			connected?: number;
			failed?: number;
			arrivals?: Record<number, number[]>;
			drained?: Record<string, Record<number, number[]>>;
			clock?: number;
			missed?: number;
	  }
	| { ok: false; error: string };

const now = () => performance.timeOrigin + performance.now();

interface Fleet {
	sockets: Socket[];
	/** Per socket: highest `going` seen so far; per board state: first arrival on each socket. */
	highest: number[];
	arrivals: Map<number, number[]>;
}

const fleets = new Map<string, Fleet>();

async function connectFleet(command: Extract<FleetCommand, { cmd: 'connect' }>) {
	const fleet: Fleet = { sockets: [], highest: [], arrivals: new Map() };
	fleets.set(command.fleet, fleet);
	let failed = 0;
	const one = (index: number) =>
		new Promise<void>((resolve) => {
			const socket = io(command.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, timeout: 60_000 });
			fleet.sockets[index] = socket;
			fleet.highest[index] = -1;
			socket.on('changed', (event: { payload: { going: number } }) => {
				const at = now();
				const going = event.payload.going;
				// Every state up to this one has now arrived on this socket.
				for (let g = fleet.highest[index]! + 1; g <= going; g++) {
					let list = fleet.arrivals.get(g);
					if (!list) fleet.arrivals.set(g, (list = []));
					list.push(at);
				}
				if (going > fleet.highest[index]!) fleet.highest[index] = going;
			});
			socket.once('connect', () => {
				if (!command.watch) return resolve();
				socket.emit('watch', { topic: command.topic }, () => resolve());
			});
			socket.once('connect_error', () => {
				failed++;
				resolve();
			});
		});
	// In batches, as a hall full of phones would not all arrive in the same millisecond.
	for (let start = 0; start < command.count; start += 100) {
		await Promise.all(Array.from({ length: Math.min(100, command.count - start) }, (_, k) => one(start + k)));
	}
	return { connected: fleet.sockets.filter((s) => s.connected).length, failed };
}

async function handle(command: FleetCommand): Promise<FleetReply> {
	switch (command.cmd) {
		case 'connect':
			return { ok: true, ...(await connectFleet(command)) };
		case 'reset': {
			const fleet = fleets.get(command.fleet)!;
			fleet.arrivals.clear();
			fleet.highest.fill(-1);
			return { ok: true };
		}
		case 'collect': {
			const fleet = fleets.get(command.fleet)!;
			return { ok: true, arrivals: Object.fromEntries(fleet.arrivals), missed: fleet.sockets.filter((s) => !s.connected).length };
		}
		case 'drain': {
			const drained: Record<string, Record<number, number[]>> = {};
			let missed = 0;
			for (const [name, fleet] of fleets) {
				if (!name.startsWith(command.prefix)) continue;
				drained[name] = Object.fromEntries(fleet.arrivals);
				fleet.arrivals.clear();
				missed += fleet.sockets.filter((s) => !s.connected).length;
			}
			return { ok: true, drained, missed };
		}
		case 'disconnect': {
			const fleet = fleets.get(command.fleet);
			fleet?.sockets.forEach((s) => s.disconnect());
			fleets.delete(command.fleet);
			return { ok: true };
		}
		case 'clock':
			return { ok: true, clock: now() };
		case 'exit':
			setImmediate(() => process.exit(0));
			return { ok: true };
	}
}

process.on('message', (message: { id: number; command: FleetCommand }) => {
	handle(message.command).then(
		(reply) => process.send!({ id: message.id, reply }),
		(error: Error) => process.send!({ id: message.id, reply: { ok: false, error: error.message } })
	);
});
process.send!({ ready: true });
