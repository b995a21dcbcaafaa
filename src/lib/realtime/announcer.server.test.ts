import { describe, expect, it } from 'vitest';
import { announcer } from './announcer.server.ts';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('announcer', () => {
	it('runs a burst for one key as the running one plus one more, never two at once', async () => {
		let running = 0;
		let most = 0;
		const runs: string[] = [];
		const announce = announcer(async (key) => {
			running++;
			most = Math.max(most, running);
			await tick(20);
			runs.push(key);
			running--;
		});
		for (let i = 0; i < 10; i++) announce('a');
		announce('b');
		await tick(100);
		expect(most).toBeLessThanOrEqual(2); // a and b side by side, never two of a
		expect(runs.filter((k) => k === 'a')).toHaveLength(2);
		expect(runs.filter((k) => k === 'b')).toHaveLength(1);
	});

	it('retries a failed announcement until it goes through', async () => {
		let calls = 0;
		const announce = announcer(
			async () => {
				if (++calls < 3) throw new Error('down');
			},
			{ retryDelay: () => 5 }
		);
		announce('a');
		await tick(60);
		expect(calls).toBe(3);
	});

	it('gives up after maxAttempts and says so', async () => {
		let calls = 0;
		const gaveUp: string[] = [];
		const announce = announcer(
			async () => {
				calls++;
				throw new Error('down');
			},
			{ retryDelay: () => 1, maxAttempts: 4, onGiveUp: (key) => gaveUp.push(key) }
		);
		announce('a');
		await tick(60);
		expect(calls).toBe(4);
		expect(gaveUp).toEqual(['a']);
	});

	it('spaces the runs of a busy key: fifty changes in half a second cost a few runs, the last after the last change', async () => {
		const starts: number[] = [];
		const announce = announcer(
			async () => {
				starts.push(Date.now());
				await tick(1);
			},
			{ spacing: 100 }
		);
		let lastChange = 0;
		const began = Date.now();
		for (let i = 0; i < 50; i++) {
			lastChange = Date.now();
			announce('a');
			await tick(10);
		}
		const took = Date.now() - began;
		await tick(250);
		// One run at once, then at most one per 100 ms (timers may take longer than asked).
		expect(starts.length).toBeGreaterThanOrEqual(2);
		expect(starts.length, `${starts.length} runs in ${took} ms`).toBeLessThanOrEqual(Math.ceil(took / 100) + 2);
		expect(starts.at(-1)!).toBeGreaterThanOrEqual(lastChange);
		for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(99);
	});
});
