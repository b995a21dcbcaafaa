import { describe, expect, it } from 'vitest';
import { passed, printReport, runFaults } from '../bench/faults.ts';

/**
 * A short run of `npm run faults` (about a minute): PostgREST killed, PostgreSQL stopped hard,
 * the app process restarted, all under a steady stream of sign-ups with boards watching.
 * It runs the built app on its own embedded stack (not this run's shared one, which it would
 * otherwise restart under the other tests). Needs `build/` (`npx vite build`).
 */
describe('faults under load', () => {
	it('loses no acknowledged change, recovers from every fault, answers a friendly 503 meanwhile, and every board catches up', async () => {
		const report = await runFaults({ members: 8, gatherings: 60, boards: 4, steadySeconds: 5, thinkMs: 400, log: () => {} });
		const lines: string[] = [];
		printReport(report, (line) => lines.push(line));
		console.log(lines.join('\n'));

		expect(report.acknowledged).toBeGreaterThan(0);
		expect(report.lostExamples).toEqual([]);
		expect(report.lost).toBe(0);
		expect(report.found).toBe(report.acknowledged);
		expect(report.faults.map((f) => f.name)).toHaveLength(3);
		for (const fault of report.faults) {
			expect(fault.recoveredMs, fault.name).not.toBeNull();
			expect(fault.pages.other5xx, `${fault.name}: ${fault.unexpected.join('; ')}`).toBe(0);
			expect(fault.pages.hung, fault.name).toBe(0);
		}
		// While PostgREST or PostgreSQL was down, pages said so in plain words (the app itself
		// is gone during its own restart, so no page can answer then).
		expect(report.faults.slice(0, 2).reduce((n, f) => n + f.pages.friendly503 + f.tryAgain, 0)).toBeGreaterThan(0);
		expect(report.boards.stale).toEqual([]);
		expect(passed(report)).toBe(true);
	}, 300_000);
});
