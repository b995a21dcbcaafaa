/**
 * Whether this process is shutting down. Once it is, PostgreSQL and PostgREST go away on
 * purpose (Ctrl-C reaches them too): lost connections are expected then, not errors, and are
 * logged at debug level only.
 */
let stopping = false;

export function markStopping(): void {
	stopping = true;
}

export function isStopping(): boolean {
	return stopping;
}
