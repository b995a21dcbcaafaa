import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { mintMemberToken } from '../auth/tokens.ts';
import { config, dataApiConfig } from '../config.ts';
import { countedFetch } from '../metrics.ts';

/**
 * supabase-js clients that act as one person, so every query runs under row-level security:
 * `anon` for visitors, `authenticated` with `sub = member id` for members. The service-role
 * client bypasses RLS and is for server jobs only (migrations, maintenance), never for
 * answering a person's request.
 */
export type DataClient = SupabaseClient;

/** The code a DataError carries when the Data API could not be reached (see outage.ts). */
export { DATA_API_MAX_ROWS } from './data-api-limits.ts';

export const UNAVAILABLE_CODE = 'BUURTBORD_UNAVAILABLE';

/**
 * fetch with a time limit, and one answer for "the Data API is not there": a network error, a
 * timeout, or a 502/503/504 from the gateway or PostgREST all become a 503 with code
 * BUURTBORD_UNAVAILABLE, which DataError carries and outage.ts recognises.
 */
export async function dataApiFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
	// A Data API request that takes longer than this is given up: the person is told to try again.
	const limit = config().DATABASE_TIMEOUT_MS;
	const timeout = AbortSignal.timeout(limit);
	const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
	let problem: string;
	try {
		const response = await countedFetch(input, { ...init, signal });
		if (response.status !== 502 && response.status !== 503 && response.status !== 504) return response;
		problem = `${response.status} ${(await response.text().catch(() => '')).slice(0, 200)}`;
	} catch (error) {
		// The caller's own abort stays an abort.
		if (init.signal?.aborted) throw error;
		problem = timeout.aborted ? `no answer within ${limit} ms` : error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : String(error);
	}
	return new Response(JSON.stringify({ code: UNAVAILABLE_CODE, message: `Data API unavailable: ${problem.trim()}` }), {
		status: 503,
		headers: { 'content-type': 'application/json' }
	});
}

const clientOptions = {
	auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
	// Time limit and outage answer; every request counted and timed (`db_round_trips_total`).
	global: { fetch: dataApiFetch },
	// supabase-js would retry reads for up to 7 s; during an outage the page answers at once instead.
	db: { retry: false }
} as const;

let anonClient: DataClient | undefined;
let serviceClient: DataClient | undefined;

export function anonDataClient(): DataClient {
	const c = dataApiConfig();
	anonClient ??= createClient(c.supabaseUrl, c.anonKey, clientOptions);
	return anonClient;
}

/**
 * A member's client is kept and reused while its token has more than half its lifetime left:
 * signing a token and building a supabase-js client on every request cost more than the
 * query behind a tap on a board. Clients hold no state beyond the token (no session, no
 * refresh), so sharing one between a member's requests is safe.
 */
const memberClients = new Map<string, { client: DataClient; renewAt: number }>();
const MEMBER_CLIENTS_KEPT = 5000;

export async function memberDataClient(memberId: string): Promise<DataClient> {
	const now = Date.now();
	const kept = memberClients.get(memberId);
	if (kept && kept.renewAt > now) return kept.client;
	const c = dataApiConfig();
	const token = await mintMemberToken(c.tokenSigner, memberId, c.memberTokenTtlSeconds, c.tokenIssuer);
	const client = createClient(c.supabaseUrl, c.anonKey, {
		...clientOptions,
		global: { ...clientOptions.global, headers: { Authorization: `Bearer ${token}` } }
	});
	// Oldest first out: a Map keeps insertion order.
	memberClients.delete(memberId);
	if (memberClients.size >= MEMBER_CLIENTS_KEPT) memberClients.delete(memberClients.keys().next().value!);
	memberClients.set(memberId, { client, renewAt: now + (c.memberTokenTtlSeconds * 1000) / 2 });
	return client;
}

export function dataClientFor(memberId: string | null): Promise<DataClient> | DataClient {
	return memberId ? memberDataClient(memberId) : anonDataClient();
}

export function serviceDataClient(): DataClient {
	const c = dataApiConfig();
	serviceClient ??= createClient(c.supabaseUrl, c.serviceRoleKey, clientOptions);
	return serviceClient;
}

/** Thrown when the Data API answers with an error; carries PostgREST's code for callers. */
export class DataError extends Error {
	constructor(
		readonly operation: string,
		readonly code: string | undefined,
		message: string
	) {
		super(`${operation}: ${message}`);
		this.name = 'DataError';
	}
}

export function unwrap<T>(operation: string, result: { data: T | null; error: { code?: string; message: string } | null }): T {
	if (result.error) throw new DataError(operation, result.error.code, result.error.message);
	return result.data as T;
}
