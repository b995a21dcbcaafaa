import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { mintMemberToken } from '../auth/tokens.ts';
import { dataApiConfig } from '../config.ts';

/**
 * supabase-js clients that act as one person, so every query runs under row-level security:
 * `anon` for visitors, `authenticated` with `sub = member id` for members. The service-role
 * client bypasses RLS and is for server jobs only (migrations, maintenance), never for
 * answering a person's request.
 */
export type DataClient = SupabaseClient;

const clientOptions = {
	auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }
} as const;

let anonClient: DataClient | undefined;
let serviceClient: DataClient | undefined;

export function anonDataClient(): DataClient {
	const c = dataApiConfig();
	anonClient ??= createClient(c.supabaseUrl, c.anonKey, clientOptions);
	return anonClient;
}

export async function memberDataClient(memberId: string): Promise<DataClient> {
	const c = dataApiConfig();
	const token = await mintMemberToken(c.jwtSecret, memberId, c.memberTokenTtlSeconds);
	return createClient(c.supabaseUrl, c.anonKey, {
		...clientOptions,
		global: { headers: { Authorization: `Bearer ${token}` } }
	});
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
