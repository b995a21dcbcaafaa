import type { Socket } from 'socket.io-client';
import type { BoardChange } from '../../src/lib/boards/board-change.ts';
import { applyChangedEvent, type ChangedEvent } from '../../src/lib/realtime/view-patch.ts';

/**
 * Follows a board's views on a socket exactly as a page does (src/lib/realtime/watch.ts):
 * whole views and patches on them, asking for the whole view again when a patch does not fit.
 * Every view the socket came to hold is kept, in order.
 */
export function followBoard(socket: Socket, topic: string) {
	const seen: BoardChange[] = [];
	const events: ChangedEvent[] = [];
	let held: ReturnType<typeof applyChangedEvent> | undefined;
	socket.on('changed', (event: ChangedEvent) => {
		if (event.topic !== topic) return;
		events.push(event);
		const next = applyChangedEvent(held ?? undefined, event);
		if (!next) return void socket.emit('watch', { topic });
		held = next;
		seen.push(next.view as unknown as BoardChange);
	});
	return { seen, events, latest: () => seen.at(-1) };
}
