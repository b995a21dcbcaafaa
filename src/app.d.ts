import type { DataClient } from '$lib/server/db/client';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in member, or null for a visitor. */
			memberId: string | null;
			/** The better-auth session of this request, if signed in. */
			sessionId: string | null;
			/** supabase-js acting as this person, so RLS applies to every query. */
			db: DataClient;
			/** Set when the request met an outage (see lib/server/outage-handle.ts). */
			outage?: boolean;
			/** The result of a form posted without JavaScript, shown once after its redirect. */
			postResult?: Record<string, unknown> | null;
		}
		interface Error {
			message: string;
			/** The stack could not be reached: the error page says "try again in a moment". */
			outage?: boolean;
			/** The result of a form posted without JavaScript, shown once after its redirect. */
			postResult?: Record<string, unknown> | null;
		}
	}
}

export {};
