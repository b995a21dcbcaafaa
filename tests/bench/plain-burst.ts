import pg from 'pg';
import nl from '../../src/lib/i18n/messages/nl.json' with { type: 'json' };
import type { BenchContext } from './board-contention.ts';
import type { Figure } from './record.ts';
import { benchActivity, benchDatabase } from './bench-database.ts';
import { joinPeople } from './board-fanout.ts';
import { percentile } from './socket-fleet.ts';

/**
 * A kick-off evening without JavaScript: 200 people each post "Ik kom" as a plain form at the
 * same moment on one gathering of 12 places, and each reads the page they get back, as a
 * browser without JavaScript shows it. Counted: answers that say the sign-up is saved (going,
 * or on the waitlist), answers of "unavailable", and other answers; then what the database
 * holds (12 going, the rest waiting, no one lost), beside the bare answer time of the same
 * page read by one person alone.
 *
 * Target (issue 18): 0 answers of "unavailable" for sign-ups that were saved.
 */
const PEOPLE = 200;
const CAPACITY = 12;

export async function benchPlainBurst({ baseUrl, dataDir }: BenchContext): Promise<Figure[]> {
	const bench = 'plain-burst';
	const { connection } = await benchDatabase(dataDir);
	const pool = new pg.Pool({ ...connection, max: 4 });
	try {
		const { activityId, neighbourhoodId } = await benchActivity(pool, 'Aftrapavond');
		await pool.query('update activity set capacity = $2 where id = $1', [activityId, CAPACITY]);
		const { rows } = await pool.query<{ id: string }>(
			`insert into gathering (activity_id, occurrence_starts_at, starts_at, ends_at, is_extra)
			 values ($1, now() + interval '5 days', now() + interval '5 days', now() + interval '5 days 3 hours', true) returning id`,
			[activityId]
		);
		const gathering = rows[0]!.id;
		console.log(`  ${PEOPLE} people join, then all post "Ik kom" at once …`);
		const cookies = await joinPeople(pool, baseUrl, neighbourhoodId, PEOPLE + 1, 'Aftrap', 40_000);
		const post = async (cookie: string) => {
			const started = performance.now();
			const response = await fetch(`${baseUrl}/g/${gathering}?/respond`, {
				method: 'POST',
				headers: { origin: baseUrl, accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ status: 'going', guests: '0' }),
				redirect: 'manual'
			});
			let html = await response.text();
			let status = response.status;
			// Post/redirect/get, as a browser follows it: the page at its clean address, with the
			// result cookie the answer set.
			if (status === 303) {
				const result = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
				const page = await fetch(new URL(response.headers.get('location')!, baseUrl), { headers: { accept: 'text/html', cookie: `${cookie}; ${result}` } });
				html = await page.text();
				status = page.status;
			}
			return { status, html, ms: performance.now() - started };
		};
		// Baseline: the same page, read by one person with nobody else about.
		const alone: number[] = [];
		for (let i = 0; i < 10; i++) {
			const started = performance.now();
			await (await fetch(`${baseUrl}/g/${gathering}`, { headers: { cookie: cookies[PEOPLE]! } })).text();
			alone.push(performance.now() - started);
		}
		alone.sort((a, b) => a - b);

		const answers = await Promise.all(cookies.slice(0, PEOPLE).map(post));
		// What a browser shows: the board says where the person stands, in Dutch (the default).
		const said = (html: string) => /data-testid="my-status"[^>]*>(.*?)<\/p>/s.exec(html)?.[1]?.replace(/<!--.*?-->/g, '').trim();
		// The waitlist answer names one's number in the line ("… als nummer 7. …").
		const waitingAs = new RegExp('^' + nl.board_you_waitlist_place.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{place}', '(\\d+)') + '$');
		const numberSaid = (html: string) => Number(waitingAs.exec(said(html) ?? '')?.[1] ?? NaN);
		const placeOf = (html: string) => (said(html) === nl.board_you_going ? 'going' : Number.isInteger(numberSaid(html)) ? 'waitlist' : undefined);
		const unavailable = answers.filter((a) => a.status === 503 || a.html.includes('even niet bereikbaar')).length;
		const saidGoing = answers.filter((a) => a.status === 200 && placeOf(a.html) === 'going').length;
		const saidWaiting = answers.filter((a) => a.status === 200 && placeOf(a.html) === 'waitlist').length;
		const other = PEOPLE - unavailable - saidGoing - saidWaiting;
		// Each answer beside what the database holds for that person (joinPeople names them in order).
		const { rows: places } = await pool.query<{ name: string; status: string; place: number | null }>(
			`select m.display_name as name, a.status,
				case when a.status = 'waitlist' then (rank() over (partition by a.status order by a.waitlist_position))::int end as place
			from attendance a join member m on m.id = a.member_id where a.gathering_id = $1`,
			[gathering]
		);
		const held = new Map(places.map((p) => [p.name, p]));
		// The number said must be the number held now: during the burst nobody leaves the line or
		// moves up (the gathering is full), and those who answer later join behind.
		const untrue = answers.filter((a, i) => {
			const place = placeOf(a.html);
			if (place === undefined) return false;
			const holds = held.get(`Aftrap ${String(i).padStart(4, '0')}`);
			return place !== holds?.status || (place === 'waitlist' && numberSaid(a.html) !== holds.place);
		}).length;
		const { rows: counts } = await pool.query<{ going: number; waiting: number }>(
			`select count(*) filter (where status = 'going')::int as going, count(*) filter (where status = 'waitlist')::int as waiting from attendance where gathering_id = $1`,
			[gathering]
		);
		const times = answers.map((a) => a.ms).sort((a, b) => a - b);
		return [
			{ bench, metric: 'posts', value: PEOPLE, unit: 'form posts at once' },
			{ bench, metric: 'answers_unavailable', value: unavailable, unit: 'answers', target: '0' },
			{ bench, metric: 'answers_going', value: saidGoing, unit: 'answers' },
			{ bench, metric: 'answers_waitlist', value: saidWaiting, unit: 'answers' },
			{ bench, metric: 'answers_other', value: other, unit: 'answers', target: '0' },
			{ bench, metric: 'answers_untrue', value: untrue, unit: 'answers', target: '0' },
			{ bench, metric: 'saved_going', value: counts[0]!.going, unit: 'people', target: String(CAPACITY) },
			{ bench, metric: 'saved_waitlist', value: counts[0]!.waiting, unit: 'people', target: String(PEOPLE - CAPACITY) },
			{ bench, metric: 'answer_p50', value: percentile(times, 50), unit: 'ms' },
			{ bench, metric: 'answer_p99', value: percentile(times, 99), unit: 'ms' },
			{ bench, metric: 'bare_page_alone_p50', value: percentile(alone, 50), unit: 'ms' }
		];
	} finally {
		await pool.end();
	}
}
