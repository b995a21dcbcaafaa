import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { buildCalendar, buildSeriesCalendar, type FeedActivity, type FeedGathering, type FeedText } from '../../src/lib/feeds/feeds.ts';
import { localToInstant } from '../../src/lib/activities/recurrence.ts';
import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import { benchDatabase } from './bench-database.ts';

/**
 * A neighbourhood with 200 weekly activities. First, building its feed over the feed window
 * (four weeks back, twelve ahead: 3,200 dates) in both forms — one event per gathering (what
 * the app serves) and RRULE with overrides — in this process. Then, against the running app,
 * requests per second for conditional GETs answered 304 beside the same feed served in full.
 */
const ACTIVITIES = 200;
const WEEKS_BACK = 4;
const WEEKS_AHEAD = 12;
const RUNS = 20;
const bench = 'calendar-feeds';

const text: FeedText = {
	cancelled: 'Afgelast',
	waitlist: 'Wachtlijst',
	reason: (r) => `Waarom: ${r}`,
	cost: () => 'Kosten: Gratis',
	whatToBring: (w) => `Neem mee: ${w}`,
	boardLink: (url) => `Meld je aan en zie wie er komt: ${url}`,
	role: () => ''
};

function uuid(prefix: number, n: number) {
	return `${String(prefix).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** 200 activities on every weekday at several times, each with its dates; a few cancelled or moved. */
export function neighbourhood(now: Date) {
	const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
	const firstMonday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7) - 7 * WEEKS_BACK));
	return Array.from({ length: ACTIVITIES }, (_, i) => {
		const day = i % 7;
		const time = `${String(10 + (i % 10)).padStart(2, '0')}:00`;
		const start = new Date(firstMonday.getTime() + day * 86_400_000).toISOString().slice(0, 10);
		const activity: FeedActivity = {
			id: uuid(1, i),
			title: `Activiteit ${i} — samen koken, eten en praten in de buurtkamer`,
			description: 'Samen eten met de buren. Iedereen is welkom, ook als je nieuw bent in de buurt.',
			place_name: 'Buurthuis De Linde',
			place_address: 'Lindeplein 4, 3512 AB Utrecht',
			schedule_time_zone: 'Europe/Amsterdam',
			schedule_rrule: `FREQ=WEEKLY;BYDAY=${weekdays[day]}`,
			schedule_starts_at: `${start}T${time}:00`,
			schedule_until: null,
			duration_minutes: 120,
			cost_kind: 'free',
			price_cents: null,
			meal_included: false,
			what_to_bring: 'Een bord en bestek',
			updated_at: now.toISOString()
		};
		const gatherings: FeedGathering[] = Array.from({ length: WEEKS_BACK + WEEKS_AHEAD }, (_, week) => {
			const date = new Date(Date.parse(`${start}T12:00:00Z`) + week * 7 * 86_400_000).toISOString().slice(0, 10);
			const startsAt = localToInstant(date, time, 'Europe/Amsterdam').toISOString();
			const cancelled = (i + week) % 23 === 0;
			const moved = (i + week) % 29 === 0;
			return {
				id: uuid(2, i * 100 + week),
				activity_id: activity.id,
				occurrence_starts_at: startsAt,
				starts_at: moved ? new Date(Date.parse(startsAt) + 3_600_000).toISOString() : startsAt,
				ends_at: new Date(Date.parse(startsAt) + (moved ? 3 : 2) * 3_600_000).toISOString(),
				status: cancelled ? 'cancelled' : 'scheduled',
				cancellation_reason: cancelled ? 'Het buurthuis is dicht' : null,
				place_name: null,
				place_address: null,
				is_extra: false,
				sequence: cancelled || moved ? 1 : 0,
				updated_at: now.toISOString()
			};
		});
		return { activity, gatherings };
	});
}

function median(values: number[]) {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

function timeIt(build: () => string) {
	build(); // warm-up
	const times: number[] = [];
	let size = 0;
	for (let i = 0; i < RUNS; i++) {
		const started = performance.now();
		size = Buffer.byteLength(build());
		times.push(performance.now() - started);
	}
	return { ms: median(times), kb: size / 1024 };
}

async function autocannon(url: string, headers: string[] = []) {
	const args = ['--json', '--connections', '10', '--duration', '8', '--warmup', '[-c 2 -d 2]', ...headers.flatMap((h) => ['-H', h]), url];
	const { stdout } = await promisify(execFile)(resolve('node_modules/.bin/autocannon'), args, { maxBuffer: 64 * 1024 * 1024 });
	const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
		requests: { average: number };
		latency: { p50: number; p99: number };
		errors: number;
		timeouts: number;
		statusCodeStats?: Record<string, { count: number }>;
	};
	return result;
}

/** The same 200 activities in the running app's database, in their own neighbourhood. */
async function seed(dataDir: string, series: ReturnType<typeof neighbourhood>) {
	const client = new pg.Client((await benchDatabase(dataDir)).connection);
	await client.connect();
	try {
		const slug = `bench-feeds-${Date.now().toString(36)}`;
		const { rows } = await client.query<{ id: string }>(`insert into neighbourhood (slug, name) values ($1, 'Feedbuurt') returning id`, [slug]);
		const activities = series.map((s) => s.activity);
		await client.query(
			`insert into activity (id, neighbourhood_id, title, description, place_name, place_address, schedule_rrule, schedule_starts_at, duration_minutes, what_to_bring)
			 select (a->>'id')::uuid, $1, a->>'title', a->>'description', a->>'place_name', a->>'place_address', a->>'schedule_rrule',
			        (a->>'schedule_starts_at')::timestamp, (a->>'duration_minutes')::int, a->>'what_to_bring'
			 from jsonb_array_elements($2::jsonb) a`,
			[rows[0]!.id, JSON.stringify(activities)]
		);
		const gatherings = series.flatMap((s) => s.gatherings);
		await client.query(
			`insert into gathering (id, activity_id, occurrence_starts_at, starts_at, ends_at, status, cancellation_reason)
			 select (g->>'id')::uuid, (g->>'activity_id')::uuid, (g->>'occurrence_starts_at')::timestamptz, (g->>'starts_at')::timestamptz,
			        (g->>'ends_at')::timestamptz, (g->>'status')::gathering_status, g->>'cancellation_reason'
			 from jsonb_array_elements($1::jsonb) g`,
			[JSON.stringify(gatherings)]
		);
		return slug;
	} finally {
		await client.end();
	}
}

export async function benchCalendarFeeds({ baseUrl, dataDir }: BenchContext): Promise<Figure[]> {
	const now = new Date();
	const series = neighbourhood(now);
	const options = { name: 'Feedbuurt · Buurtbord', origin: 'https://buurtbord.example', text };
	const entries = series.flatMap((s) => s.gatherings.map((gathering) => ({ gathering, activity: s.activity })));
	const perEvent = timeIt(() => buildCalendar(entries, options));
	const rrule = timeIt(() => buildSeriesCalendar(series, options));
	// As the server builds again after one change: finished events come from its cache.
	const eventCache = { map: new Map<string, string>(), scope: 'nl' };
	let version = 0;
	const touched = () => {
		const at = new Date(now.getTime() + ++version).toISOString();
		series[0]!.gatherings[5] = { ...series[0]!.gatherings[5]!, updated_at: at, sequence: version };
		return series;
	};
	const perEventWarm = timeIt(() => buildCalendar(touched().flatMap((s) => s.gatherings.map((gathering) => ({ gathering, activity: s.activity }))), { ...options, eventCache }));
	const rruleWarm = timeIt(() => buildSeriesCalendar(touched(), { ...options, eventCache }));

	const slug = await seed(dataDir, series);
	const url = `${baseUrl}/feeds/neighbourhood/${slug}.ics`;
	const first = await fetch(url);
	const etag = first.headers.get('etag');
	const events = ((await first.text()).match(/BEGIN:VEVENT/g) ?? []).length;
	if (first.status !== 200 || !etag) throw new Error(`feed answered ${first.status} without an ETag`);
	const conditional = await autocannon(url, [`If-None-Match=${etag}`]);
	const full = await autocannon(url);
	const not304 = Object.entries(conditional.statusCodeStats ?? {}).filter(([code]) => code !== '304').reduce((n, [, s]) => n + s.count, 0);

	return [
		{ bench, metric: 'per_event_build', value: perEvent.ms, unit: 'ms', target: '≤ 150' },
		{ bench, metric: 'per_event_one_change', value: perEventWarm.ms, unit: 'ms', target: '≤ 150' },
		{ bench, metric: 'per_event_size', value: perEvent.kb, unit: 'KiB' },
		{ bench, metric: 'rrule_build', value: rrule.ms, unit: 'ms', target: '≤ 10' },
		{ bench, metric: 'rrule_one_change', value: rruleWarm.ms, unit: 'ms', target: '≤ 10' },
		{ bench, metric: 'rrule_size', value: rrule.kb, unit: 'KiB' },
		{ bench, metric: 'served_events', value: events, unit: 'events' },
		{ bench, metric: 'conditional_304_rps', value: conditional.requests.average, unit: 'req/s', target: '≥ 1000' },
		{ bench, metric: 'conditional_304_p99', value: conditional.latency.p99, unit: 'ms' },
		{ bench, metric: 'conditional_not_304', value: not304 + conditional.errors + conditional.timeouts, unit: 'requests', target: '0' },
		{ bench, metric: 'full_200_rps', value: full.requests.average, unit: 'req/s' },
		{ bench, metric: 'full_200_p99', value: full.latency.p99, unit: 'ms' }
	];
}
