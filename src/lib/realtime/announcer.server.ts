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
}

export function announcer(task: (key: string) => Promise<void>, options: AnnouncerOptions = {}) {
	const retryDelay = options.retryDelay ?? ((n: number) => Math.min(10_000, 500 * 2 ** n));
	const maxAttempts = options.maxAttempts ?? 20;
	const state = new Map<string, { again: boolean }>();

	const run = async (key: string) => {
		let attempt = 0;
		for (;;) {
			const entry = state.get(key)!;
			entry.again = false;
			try {
				await task(key);
				attempt = 0;
				if (!entry.again) break;
			} catch (error) {
				if (++attempt >= maxAttempts) {
					options.onGiveUp?.(key, error);
					break;
				}
				await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt - 1)).unref?.());
			}
		}
		state.delete(key);
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
