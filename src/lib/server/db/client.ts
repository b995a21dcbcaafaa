import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { mintMemberToken } from '../auth/tokens.ts';
import { dataApiConfig } from '../config.ts';
import { countedFetch } from '../metrics.ts';

/**
 * supabase-js clients that act as one person, so every query runs under row-level security:
 * `anon` for visitors, `authenticated` with `sub = member id` for members. The service-role
 * client bypasses RLS and is for server jobs only (migrations, maintenance), never for
 * answering a person's request.
 */
export type DataClient = SupabaseClient;

const clientOptions = {
	auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
	// Every request to the Data API is counted and timed (`db_round_trips_total`).
	global: { fetch: countedFetch }
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
	const token = await mintMemberToken(c.jwtSecret, memberId, c.memberTokenTtlSeconds);
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
