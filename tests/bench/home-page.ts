import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Figure } from './record.ts';

/**
 * Requests per second and latency of the home page (server-rendered agenda through
 * supabase-js and PostgREST) on the local stack. The load comes from autocannon in its own
 * process, so it does not share the server's event loop.
 */
export async function benchHomePage({ baseUrl }: { baseUrl: string }): Promise<Figure[]> {
	const { stdout } = await promisify(execFile)(
		resolve('node_modules/.bin/autocannon'),
		['--json', '--connections', '10', '--duration', '10', '--warmup', '[-c 2 -d 2]', `${baseUrl}/`],
		{ maxBuffer: 64 * 1024 * 1024 }
	);
	// With a warm-up, autocannon prints one JSON line per phase; the last is the measured one.
	const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
		requests: { average: number };
		latency: { p50: number; p99: number };
		errors: number;
		non2xx: number;
		timeouts: number;
	};
	const bench = 'home-page';
	return [
		{ bench, metric: 'requests_per_second', value: result.requests.average, unit: 'req/s' },
		{ bench, metric: 'latency_p50', value: result.latency.p50, unit: 'ms' },
		{ bench, metric: 'latency_p99', value: result.latency.p99, unit: 'ms' },
		{ bench, metric: 'failed_requests', value: result.errors + result.non2xx + result.timeouts, unit: 'requests', target: '0' }
	];
}
