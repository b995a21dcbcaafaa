import { join } from 'node:path';
import pg from 'pg';
import { signDataApiToken } from '../../src/lib/server/auth/tokens.ts';
import type { Figure } from './record.ts';
import { benchDatabase } from './bench-database.ts';
import { cpuBetween, treeCpuMs } from './socket-fleet.ts';

/**
 * Sign-ups on one hot gathering, 32 clients at once: through the full path (HTTP form post →
 * SvelteKit → PostgREST → respond) beside the same SQL function called directly over
 * PostgreSQL, in the same run; then a burst of ten times the capacity, checked for overbooking.
 */
const CLIENTS = 32;
const SECONDS = 8;

export interface BenchContext {
	baseUrl: string;
	dataDir: string;
	/** What the server printed at its first start-up (invite link, Data API address). */
	output: string;
	/** The node process that runs src/server.ts (for its memory). */
	serverPid: number;
}

function percentile(sorted: number[], p: number) {
	return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0;
}

async function loop(clients: number, seconds: number, once: (client: number, i: number) => Promise<void>) {
	const latencies: number[] = [];
	let failures = 0;
	const until = Date.now() + seconds * 1000;
	await Promise.all(
		Array.from({ length: clients }, async (_, client) => {
			for (let i = 0; Date.now() < until; i++) {
				const started = performance.now();
				try {
					await once(client, i);
					latencies.push(performance.now() - started);
				} catch {
					failures++;
				}
			}
		})
	);
	latencies.sort((a, b) => a - b);
	return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}

export async function benchBoardContention({ baseUrl, dataDir, output, serverPid }: BenchContext): Promise<Figure[]> {
	const { secrets, connection } = await benchDatabase(dataDir);
	const pool = new pg.Pool({ ...connection, max: CLIENTS + 2 });
	const bench = 'board-contention';
	try {
		const code = /join\/([0-9A-Z]{10})/.exec(output)![1]!;
		const gateway = /embedded PostgREST at (http:\/\/\S+)\/rest\/v1/.exec(output)![1]!;
		const { rows: hot } = await pool.query<{ id: string; capacity: number }>(
			`select g.id, a.capacity from gathering g join activity a on a.id = g.activity_id
			 where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at limit 1`
		);
		const gathering = hot[0]!.id;

		// 32 people join through the app (each from its own address, as behind a proxy).
		const cookies: string[] = [];
		for (let i = 0; i < CLIENTS; i++) {
			const joined = await fetch(`${baseUrl}/join/${code}`, {
				method: 'POST',
				headers: { origin: baseUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.${i + 1}` },
				body: new URLSearchParams({ display_name: `Bench ${i}`, lang: 'nl' }),
				redirect: 'manual'
			});
			cookies.push(joined.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '));
		}

		// Where the time goes: CPU used by each process during the run, per sign-up.
		const treeBefore = await treeCpuMs(serverPid);
		const selfBefore = process.cpuUsage();
		const http = await loop(CLIENTS, SECONDS, async (client, i) => {
			const response = await fetch(`${baseUrl}/g/${gathering}?/respond`, {
				method: 'POST',
				headers: { origin: baseUrl, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies[client]! },
				body: new URLSearchParams({ status: i % 2 ? 'not_going' : 'going', guests: '0' })
			});
			const body = await response.text();
			if (!response.ok || !body.includes('"type":"success"')) throw new Error(body.slice(0, 200));
		});

		const used = cpuBetween(treeBefore, await treeCpuMs(serverPid));
		const self = process.cpuUsage(selfBefore);
		const signUps = http.perSecond * SECONDS;
		const cpuPerSignUp = (ms: number) => ms / Math.max(signUps, 1);

		// The same function straight over PostgreSQL, as the same members.
		const { rows: members } = await pool.query<{ id: string }>(`select id from member where display_name like 'Bench %' order by display_name`);
		const direct = await loop(CLIENTS, SECONDS, async (client, i) => {
			const connection = await pool.connect();
			try {
				await connection.query('begin');
				await connection.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
					JSON.stringify({ sub: members[client]!.id, role: 'authenticated' })
				]);
				await connection.query('select public.respond($1, $2, 0)', [gathering, i % 2 ? 'not_going' : 'going']);
				await connection.query('commit');
			} catch (error) {
				await connection.query('rollback');
				throw error;
			} finally {
				connection.release();
			}
		});

		// A burst of ten times the capacity through PostgREST, then count.
		const capacity = hot[0]!.capacity;
		const burstSize = capacity * 10;
		const { rows: neighbourhood } = await pool.query<{ id: string }>(`select id from neighbourhood where slug = 'de-linde'`);
		const { rows: burstMembers } = await pool.query<{ id: string }>(
			`insert into member (display_name) select 'Burst ' || n from generate_series(1, $1) n returning id`,
			[burstSize]
		);
		await pool.query(
			`insert into neighbourhood_member (neighbourhood_id, member_id) select $1, unnest($2::uuid[])`,
			[neighbourhood[0]!.id, burstMembers.map((m) => m.id)]
		);
		const { rows: burstGathering } = await pool.query<{ id: string }>(
			`select g.id from gathering g join activity a on a.id = g.activity_id
			 where a.title = 'Dinsdagdiner' and g.starts_at > now() order by g.starts_at offset 1 limit 1`
		);
		const tokens = await Promise.all(burstMembers.map((m) => signDataApiToken(secrets.dataApiSigningKey, { role: 'authenticated', sub: m.id }, 600)));
		const anonKey = await signDataApiToken(secrets.dataApiSigningKey, { role: 'anon' }, 600);
		await Promise.all(
			tokens.map((token) =>
				fetch(`${gateway}/rest/v1/rpc/respond`, {
					method: 'POST',
					headers: { apikey: anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({ p_gathering: burstGathering[0]!.id, p_status: 'going', p_guests: 0 })
				}).then((r) => r.text())
			)
		);
		const { rows: seats } = await pool.query<{ seats: number }>(`select public.seats_taken($1) as seats`, [burstGathering[0]!.id]);
		const overbooked = Math.max(0, Number(seats[0]!.seats) - capacity);

		return [
			{ bench, metric: 'http_signups_per_second', value: http.perSecond, unit: 'req/s', target: '>= 1000 at 32 clients' },
			{ bench, metric: 'http_latency_p50', value: http.p50, unit: 'ms' },
			{ bench, metric: 'http_latency_p99', value: http.p99, unit: 'ms', target: '<= 50' },
			{ bench, metric: 'http_failures', value: http.failures, unit: 'requests', target: '0' },
			{ bench, metric: 'http_cpu_app_server', value: cpuPerSignUp(used.get('node') ?? 0), unit: 'ms/sign-up' },
			{ bench, metric: 'http_cpu_postgrest', value: cpuPerSignUp(used.get('postgrest') ?? 0), unit: 'ms/sign-up' },
			{ bench, metric: 'http_cpu_postgresql', value: cpuPerSignUp(used.get('postgres') ?? 0), unit: 'ms/sign-up' },
			{ bench, metric: 'http_cpu_load_generator', value: cpuPerSignUp((self.user + self.system) / 1000), unit: 'ms/sign-up' },
			{ bench, metric: 'sql_signups_per_second', value: direct.perSecond, unit: 'calls/s' },
			{ bench, metric: 'sql_latency_p50', value: direct.p50, unit: 'ms' },
			{ bench, metric: 'sql_latency_p99', value: direct.p99, unit: 'ms' },
			{ bench, metric: 'burst_requests', value: burstSize, unit: 'requests' },
			{ bench, metric: 'burst_overbooked', value: overbooked, unit: 'places', target: '0' }
		];
	} finally {
		await pool.end();
	}
}
