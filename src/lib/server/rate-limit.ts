import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { databasePool } from './db/pool.ts';

/**
 * Limits on the doors people knock on without an account: joining, return links and
 * magic links. Counted in PostgreSQL (identity.request_limit), so every app instance shares
 * the same counts.
 */
// Generous per address: at a kick-off evening many neighbours join over one Wi-Fi.
export const limits = {
	joinPerIp: { points: 30, duration: 10 * 60 },
	joinPerCode: { points: 120, duration: 60 * 60 },
	// Joining from a public page without a code: as strict as one invite code, per neighbourhood.
	joinOpenPerNeighbourhood: { points: 120, duration: 60 * 60 },
	returnLinkPerIp: { points: 10, duration: 10 * 60 },
	magicLinkPerIp: { points: 5, duration: 15 * 60 },
	magicLinkPerEmail: { points: 3, duration: 60 * 60 },
	invitePerMember: { points: 30, duration: 60 * 60 }
} as const;
export type LimitName = keyof typeof limits;

const limiters = new Map<LimitName, RateLimiterPostgres>();

function limiter(name: LimitName) {
	let found = limiters.get(name);
	if (!found) {
		found = new RateLimiterPostgres({
			storeClient: databasePool(),
			storeType: 'pool',
			schemaName: 'identity',
			tableName: 'request_limit',
			tableCreated: true,
			keyPrefix: name,
			clearExpiredByTimeout: true,
			...limits[name]
		});
		limiters.set(name, found);
	}
	return found;
}

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Counts one attempt for each key; refused if any of them is over its limit. */
export async function consume(...attempts: [LimitName, string][]): Promise<LimitResult> {
	for (const [name, key] of attempts) {
		try {
			await limiter(name).consume(key);
		} catch (error) {
			if (error instanceof RateLimiterRes) {
				return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
			}
			throw error;
		}
	}
	return { ok: true };
}
