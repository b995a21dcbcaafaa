import type { Handle } from '@sveltejs/kit';
import pLimit, { type LimitFunction } from 'p-limit';
import { config } from './config.ts';
import { setWaitingCount } from './metrics.ts';
import { Outage } from './outage.ts';

/**
 * At most REQUESTS_AT_ONCE requests are answered at the same time; the others wait their turn,
 * in the order they came. Under a burst (a hall full of people scanning the poster's QR code)
 * each request then runs at full speed once it is its turn, instead of all of them sharing the
 * machine until every one overruns the database's time limit and answers "try again" after
 * its sign-up was saved. A request that waited REQUEST_QUEUE_TIMEOUT_MS has done nothing yet:
 * it is told to try again (an Outage, which outage-handle.ts answers), and that is the truth.
 *
 * Health and metrics are answered at once: they tell whether the server is alive and how long
 * the queue is, which matters most when it is long.
 */
const ANSWERED_AT_ONCE = new Set(['/healthz', '/metrics']);

let limit: LimitFunction | undefined;

setWaitingCount(() => limit?.pendingCount ?? 0);

export const admission: Handle = async ({ event, resolve }) => {
	if (ANSWERED_AT_ONCE.has(event.url.pathname)) return resolve(event);
	limit ??= pLimit(config().REQUESTS_AT_ONCE);
	let started = false;
	let timedOut = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const tooLong = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			if (started) return;
			timedOut = true;
			reject(new Outage('a turn to be answered'));
		}, config().REQUEST_QUEUE_TIMEOUT_MS);
	});
	const turn = limit(async () => {
		// Its time ran out while it waited: the person has been answered already.
		if (timedOut) return new Response(null, { status: 503 });
		started = true;
		return resolve(event);
	});
	try {
		return await Promise.race([turn, tooLong]);
	} finally {
		clearTimeout(timer);
	}
};
