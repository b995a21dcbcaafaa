import { DataError, UNAVAILABLE_CODE } from './db/client.ts';
import { log, onceEvery } from './log.ts';

/**
 * An outage: a part of the stack (PostgreSQL, PostgREST, the Data API) cannot be reached or
 * did not answer in time. Requests that meet one answer "try again in a moment" (503 with
 * Retry-After) instead of an error page, and never pretend the person is signed out.
 */
export class Outage extends Error {
	constructor(what: string, options?: { cause?: unknown }) {
		super(`${what} is not reachable`, options);
		this.name = 'Outage';
	}
}

/** PostgREST's own codes for "no database connection" (PGRST000–003). */
const POSTGREST_CONNECTION_CODES = new Set(['PGRST000', 'PGRST001', 'PGRST002', 'PGRST003']);

/** Node's and pg's words for a connection that failed, ended or timed out. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_MESSAGES = [
	'Connection terminated',
	'timeout exceeded when trying to connect',
	'Query read timeout',
	'Client has encountered a connection error',
	'Connection ended',
	'the database system is'
];

/** SQLSTATEs: connection exceptions (08…), operator intervention (57P01–57P05), statement timeout. */
function isOutageSqlState(code: string): boolean {
	return code.startsWith('08') || /^57P0[1-5]$/.test(code) || code === '57014';
}

export function isOutage(error: unknown, depth = 0): boolean {
	if (!error || typeof error !== 'object' || depth > 4) return false;
	if (error instanceof Outage) return true;
	if (error instanceof DataError) return error.code === UNAVAILABLE_CODE || POSTGREST_CONNECTION_CODES.has(error.code ?? '');
	const { code, message, name, cause, errors } = error as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
	if (typeof code === 'string' && (NETWORK_CODES.has(code) || isOutageSqlState(code))) return true;
	if (name === 'TimeoutError') return true;
	if (typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m))) return true;
	// AggregateError (several addresses refused) and wrapped causes.
	if (Array.isArray(errors) && errors.some((e) => isOutage(e, depth + 1))) return true;
	return isOutage(cause, depth + 1);
}

/** For `getSession(...).catch(...)`: a session that cannot be looked up is an outage, never "signed out". */
export function sessionLookupFailed(error: unknown): never {
	throw new Outage('the session store', { cause: error });
}

const authOutageLine = onceEvery(5000);
/**
 * better-auth's logger: during an outage every request would log a full stack trace of the
 * same lost connection; one short line every few seconds says it. Everything else as usual.
 */
export function authLog(level: 'debug' | 'info' | 'warn' | 'error', message: string, ...args: unknown[]) {
	if (args.some((a) => isOutage(a))) {
		if (!authOutageLine()) return;
		log.error({ source: 'better-auth' }, `${message}: the database is not reachable (details hidden while it lasts)`);
		return;
	}
	if (level === 'debug') return;
	log[level]({ source: 'better-auth', err: args.find((a) => a instanceof Error), details: args.filter((a) => !(a instanceof Error)) }, message);
}
