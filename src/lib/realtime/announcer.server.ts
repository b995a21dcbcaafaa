/**
 * Runs an announcement per key (a gathering) so that the last one sent is never older than the
 * last change: at most one runs at a time per key, a request that arrives meanwhile makes it
 * run once more afterwards (bursts collapse into one), and a failed one (the Data API is down)
 * is tried again with growing pauses, so open boards catch up once the stack is back.
 */
export interface AnnouncerOptions {
	/** Pause before retry number n (0-based). */
	retryDelay?: (attempt: number) => number;
	/** Give up after this many failed tries in a row (a later change starts afresh). */
	maxAttempts?: number;
	onGiveUp?: (key: string, error: unknown) => void;
	/**
	 * Least time between the starts of two runs for one key (ms). The first change after a
	 * quiet spell runs at once; a burst then costs one run per `spacing`, and the last run
	 * still comes after the last change.
	 */
	spacing?: number;
}

export function announcer(task: (key: string) => Promise<void>, options: AnnouncerOptions = {}) {
	const retryDelay = options.retryDelay ?? ((n: number) => Math.min(10_000, 500 * 2 ** n));
	const maxAttempts = options.maxAttempts ?? 20;
	const spacing = options.spacing ?? 0;
	const state = new Map<string, { again: boolean }>();
	/** When each key's last run started, kept for `spacing` ms after it. */
	const lastStart = new Map<string, number>();
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref?.());

	const run = async (key: string) => {
		let attempt = 0;
		for (;;) {
			const entry = state.get(key)!;
			const wait = (lastStart.get(key) ?? -Infinity) + spacing - Date.now();
			if (wait > 0) await sleep(wait);
			entry.again = false;
			lastStart.set(key, Date.now());
			try {
				await task(key);
				attempt = 0;
				if (!entry.again) break;
			} catch (error) {
				if (++attempt >= maxAttempts) {
					options.onGiveUp?.(key, error);
					break;
				}
				await sleep(retryDelay(attempt - 1));
			}
		}
		state.delete(key);
		if (spacing > 0) {
			setTimeout(() => {
				if (!state.has(key) && (lastStart.get(key) ?? 0) + spacing <= Date.now() + 1) lastStart.delete(key);
			}, spacing).unref?.();
		}
	};

	return (key: string) => {
		const entry = state.get(key);
		if (entry) {
			entry.again = true;
			return;
		}
		state.set(key, { again: false });
		void run(key);
	};
}
