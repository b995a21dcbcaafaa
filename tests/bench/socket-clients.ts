/**
 * Board sockets for the benchmarks, in their own process (started by socket-fleet.ts with an
 * IPC channel), so the server under test never shares an event loop with its clients.
 *
 * Each socket is a board page: it holds the board, applies every view or patch it receives
 * exactly as the page does (src/lib/realtime/view-patch.ts, src/lib/boards/board-change.ts),
 * asks for the whole view again when a patch does not fit, and fetches the page's data again
 * where the page would reload (`refreshHelp`). It notes, per board state, when it first
 * showed it: by default the key is the `going` count, which grows by one with every sign-up,
 * so a client that shows going = 7 has shown sign-ups 1…7; with `names`, the key is each new
 * name (starting with that prefix) the board shows.
 * Times are `performance.timeOrigin + performance.now()`: milliseconds on the machine's
 * clock, comparable between processes on one machine (the parent checks the offset).
 */
import { io, type Socket } from 'socket.io-client';
import { applyBoardChange, type BoardChange, type BoardState } from '../../src/lib/boards/board-change.ts';
import { personalPart } from '../../src/lib/boards/board-personal.ts';
import { applyNeedsChange, type ShownNeed } from '../../src/lib/offers/need-change.ts';
import { applyChangedEvent, type ChangedEvent } from '../../src/lib/realtime/view-patch.ts';

export type FleetCommand =
	| {
			cmd: 'connect';
			fleet: string;
			url: string;
			count: number;
			topic: string;
			watch: boolean;
			/** Per socket: its topic (else `topic`), session cookie and member id (signed-in viewers). */
			topics?: string[];
			cookies?: string[];
			memberIds?: string[];
			/** Key arrivals by the new names (with this prefix) a board shows, not by `going`. */
			names?: string;
			/** Keep the events the first socket of each topic receives (to replay them to a bare server). */
			record?: boolean;
	  }
	| { cmd: 'reset'; fleet: string }
	/** How many sockets of the fleet have shown `key` so far (cheaper than collecting every arrival). */
	| { cmd: 'count'; fleet: string; key: string | number }
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
			arrivals?: Record<number | string, number[]>;
			drained?: Record<string, Record<number, number[]>>;
			recorded?: Record<string, ChangedEvent[]>;
			/** Whole page data fetched again (as a page reloads). */
			reloads?: number;
			/** Patches that did not fit, so the whole view was asked for again. */
			resyncs?: number;
			/** Sockets that have shown a board so far. */
			showing?: number;
			clock?: number;
			missed?: number;
			count?: number;
	  }
	| { ok: false; error: string };

const now = () => performance.timeOrigin + performance.now();

interface Fleet {
	sockets: Socket[];
	/** Per socket: highest `going` seen so far; per board state: first arrival on each socket. */
	highest: number[];
	arrivals: Map<number | string, number[]>;
	recorded: Map<string, ChangedEvent[]>;
	reloads: number;
	resyncs: number;
	showing: Set<number>;
}

const emptyBoard = (): BoardState['board'] => ({
	summary: { gathering_id: '', going: 0, people_going: 0, waitlist: 0, maybe: 0, capacity: null, held_for_newcomers: 0, slots: [] },
	people: [],
	pledges: [],
	mine: null,
	help: { counts: [], asks: [], offers: [] }
});

const fleets = new Map<string, Fleet>();

async function connectFleet(command: Extract<FleetCommand, { cmd: 'connect' }>) {
	const fleet: Fleet = { sockets: [], highest: [], arrivals: new Map(), recorded: new Map(), reloads: 0, resyncs: 0, showing: new Set() };
	fleets.set(command.fleet, fleet);
	let failed = 0;
	const arrived = (key: number | string, at: number) => {
		let list = fleet.arrivals.get(key);
		if (!list) fleet.arrivals.set(key, (list = []));
		list.push(at);
	};
	const one = (index: number) =>
		new Promise<void>((resolve) => {
			const topic = command.topics?.[index] ?? command.topic;
			const cookie = command.cookies?.[index];
			const me = command.memberIds?.[index] ?? null;
			const socket = io(command.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, timeout: 60_000, extraHeaders: cookie ? { cookie } : {} });
			fleet.sockets[index] = socket;
			fleet.highest[index] = -1;
			const records = command.record && !fleet.recorded.has(topic) ? (fleet.recorded.set(topic, []), fleet.recorded.get(topic)!) : undefined;
			// The page's state: the view it holds (for patches) and the board it shows.
			let held: ReturnType<typeof applyChangedEvent> | undefined;
			let state: BoardState | undefined;
			let needs: ShownNeed[] = [];
			const shownNames = new Set<string>();
			let shownBefore: BoardState['board']['people'] = [];
			const show = (going: number, at: number) => {
				fleet.showing.add(index);
				// Every state up to this one has now arrived on this socket.
				for (let g = fleet.highest[index]! + 1; g <= going; g++) arrived(g, at);
				if (going > fleet.highest[index]!) fleet.highest[index] = going;
			};
			socket.on('changed', (event: ChangedEvent | { topic: string; payload: { going?: number; summary?: { going: number } } }) => {
				if (!('version' in event)) return show(event.payload.summary?.going ?? event.payload.going ?? 0, now());
				records?.push(event);
				const next = applyChangedEvent(held ?? undefined, event);
				if (!next) {
					fleet.resyncs++;
					socket.emit('watch', { topic });
					return;
				}
				held = next;
				const change = next.view as unknown as BoardChange;
				// As the page: the part about people only for someone signed in (it comes with their
				// forms). A viewer is a member by its id: the bare replay has no cookies, same viewers.
				const applied = applyBoardChange(state ?? { board: emptyBoard(), gathering: change.gathering }, change, me, me !== null ? personalPart : undefined);
				state = { board: applied.board, gathering: applied.gathering };
				const appliedNeeds = applyNeedsChange(needs, change.needs ?? [], change.needs_waiting, '');
				needs = appliedNeeds.needs;
				// Shown once applied, as the page shows it.
				const at = now();
				if (applied.refreshHelp || appliedNeeds.refresh) {
					// As the page reloads its data (invalidateAll).
					fleet.reloads++;
					void fetch(`${command.url}/g/${change.gathering.id}/__data.json?x-sveltekit-invalidated=11`, { headers: cookie ? { cookie } : {} }).then((r) => r.arrayBuffer(), () => undefined);
				}
				if (command.names) {
					fleet.showing.add(index);
					// The page keeps the names it built before (board-change.ts): only names that are
					// not where they were can be new, and the others are compared, not read.
					const people = state.board.people;
					for (let i = 0, j = 0; i < people.length; i++) {
						const person = people[i]!;
						if (shownBefore[j] === person) {
							j++;
							continue;
						}
						if (shownBefore[j + 1] === person) {
							j += 2;
							continue;
						}
						if (person.name && person.name.startsWith(command.names) && !shownNames.has(person.name)) {
							shownNames.add(person.name);
							arrived(person.name, at);
						}
					}
					shownBefore = people;
				} else show(state.board.summary.going, at);
			});
			socket.once('connect', () => {
				if (!command.watch) return resolve();
				socket.emit('watch', { topic }, () => resolve());
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
		case 'count': {
			const fleet = fleets.get(command.fleet)!;
			return { ok: true, count: fleet.arrivals.get(command.key)?.length ?? 0, showing: fleet.showing.size };
		}
		case 'collect': {
			const fleet = fleets.get(command.fleet)!;
			return {
				ok: true,
				arrivals: Object.fromEntries(fleet.arrivals),
				missed: fleet.sockets.filter((s) => !s.connected).length,
				recorded: Object.fromEntries(fleet.recorded),
				reloads: fleet.reloads,
				resyncs: fleet.resyncs,
				showing: fleet.showing.size
			};
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
