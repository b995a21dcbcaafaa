import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import { nextDemoDinner } from './bench-database.ts';
import { residentKiB, startSocketFleet } from './socket-fleet.ts';

/**
 * Resident memory per idle board socket on the server: the server's VmRSS (/proc/<pid>/status)
 * with no sockets, then after each of STEPS steps of STEP more sockets watching a board (clients
 * in their own process), each read once it has settled — the median of several readings after a
 * pause, so a garbage collection mid-way does not decide the figure. Reported per socket over
 * all of them, and as the slope through all readings.
 */
const STEP = 1500;
const STEPS = 4;

async function settledRss(pid: number): Promise<number> {
	await new Promise((done) => setTimeout(done, 5000));
	const readings: number[] = [];
	for (let i = 0; i < 5; i++) {
		readings.push(await residentKiB(pid));
		await new Promise((done) => setTimeout(done, 1000));
	}
	return readings.sort((a, b) => a - b)[2]!;
}

export async function benchSocketMemory({ baseUrl, dataDir, serverPid }: BenchContext): Promise<Figure[]> {
	const bench = 'socket-memory';
	// Any board will do: the next demo dinner.
	const gathering = await nextDemoDinner(dataDir);
	const fleet = await startSocketFleet(STEPS * STEP);
	try {
		const topic = `gathering:${gathering}`;
		const points: [number, number][] = [[0, await settledRss(serverPid)]];
		for (let step = 1; step <= STEPS; step++) {
			const { connected } = await fleet.send({ cmd: 'connect', fleet: `step${step}`, url: baseUrl, count: STEP, topic, watch: true });
			if (connected !== STEP) throw new Error(`only ${connected} of ${STEP} sockets connected`);
			points.push([step * STEP, await settledRss(serverPid)]);
		}
		// Least-squares slope over all readings: one heap growth step does not decide it.
		const n = points.length;
		const meanX = points.reduce((a, [x]) => a + x, 0) / n;
		const meanY = points.reduce((a, [, y]) => a + y, 0) / n;
		const slope =
			points.reduce((a, [x, y]) => a + (x - meanX) * (y - meanY), 0) / points.reduce((a, [x]) => a + (x - meanX) ** 2, 0);
		const [sockets, full] = points.at(-1)!;
		return [
			{ bench, metric: 'sockets', value: sockets, unit: 'sockets' },
			{ bench, metric: 'rss_before', value: points[0]![1] / 1024, unit: 'MiB' },
			{ bench, metric: 'rss_with_sockets', value: full / 1024, unit: 'MiB' },
			{ bench, metric: 'per_socket', value: (full - points[0]![1]) / sockets, unit: 'KiB', target: '< 30' },
			{ bench, metric: 'per_socket_slope', value: slope, unit: 'KiB' }
		];
	} finally {
		await fleet.stop();
	}
}
