import { describe, expect, it } from 'vitest';
import { restartDelay, supervise, type Running } from './supervisor.ts';

/** A stand-in child: exits when told to, or when stopped. */
function fakeChild() {
	let exit!: () => void;
	const exited = new Promise<void>((resolve) => (exit = resolve));
	let stopped = false;
	return { running: { exited, stop: async () => ((stopped = true), exit()) } satisfies Running, crash: exit, isStopped: () => stopped };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restartDelay', () => {
	it('doubles from 200 ms and stops growing at 10 s', () => {
		expect([0, 1, 2, 3].map(restartDelay)).toEqual([200, 400, 800, 1600]);
		expect(restartDelay(6)).toBe(10_000);
		expect(restartDelay(50)).toBe(10_000);
		expect(restartDelay(-1)).toBe(200);
	});
});

describe('supervise', () => {
	it('starts a child again after it exits unexpectedly, and tells onRestarted', async () => {
		const children = [fakeChild(), fakeChild()];
		let launches = 0;
		let told = 0;
		const s = await supervise({ name: 'x', launch: async () => children[launches++]!.running, onRestarted: () => told++, log: () => {} });
		children[0]!.crash();
		await tick(300);
		expect(launches).toBe(2);
		expect(s.restarts).toBe(1);
		expect(told).toBe(1);
		await s.stop();
		expect(children[1]!.isStopped()).toBe(true);
	});

	it('keeps trying when a restart fails', async () => {
		const first = fakeChild();
		const second = fakeChild();
		let launches = 0;
		const s = await supervise({
			name: 'x',
			launch: async () => {
				launches++;
				if (launches === 1) return first.running;
				if (launches === 2) throw new Error('port busy');
				return second.running;
			},
			log: () => {}
		});
		first.crash();
		await tick(200 + 400 + 150);
		expect(launches).toBe(3);
		expect(s.restarts).toBe(1);
		await s.stop();
	});

	it('restarts nothing once quiesced or stopped (deliberate shutdown)', async () => {
		const child = fakeChild();
		let launches = 0;
		const s = await supervise({ name: 'x', launch: async () => (launches++, child.running), log: () => {} });
		s.quiesce();
		child.crash();
		await tick(300);
		expect(launches).toBe(1);
		expect(s.restarts).toBe(0);
		await s.stop();
	});
});
