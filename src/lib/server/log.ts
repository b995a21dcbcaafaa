import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pino, stdTimeFunctions, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { z } from 'zod';
import { logLevelSchema } from './config.ts';

/**
 * The server's log: one JSON object per line on stdout, at the level LOG_LEVEL names.
 * Every line written while a request (or one socket's event) is handled carries that
 * request's id, and the socket's id, without passing them around: they live in an
 * AsyncLocalStorage that `withLogContext` sets.
 *
 * Never log tokens, cookies, query strings or e-mail addresses: URLs carry tokens
 * (personal feeds, invite codes), so requests are logged by their route id.
 */
export interface LogContext {
	requestId: string;
	socketId?: string;
}

/**
 * One logger and one context store per process, kept on globalThis: the production server
 * (through tsx) and SvelteKit's server bundle each load their own copy of this module, and
 * a socket's lines must carry the same fields whichever copy writes them.
 */
const SHARED = Symbol.for('buurtbord.log');
type Shared = { logger: Logger; context: AsyncLocalStorage<LogContext> };

function create(): Shared {
	const context = new AsyncLocalStorage<LogContext>();
	// A wrong LOG_LEVEL is reported by parseConfig at start-up; until then, log as usual.
	return { context, logger: buildLogger(context, logLevelSchema.catch('info').parse(process.env.LOG_LEVEL)) };
}

function buildLogger(context: AsyncLocalStorage<LogContext>, level: string, destination?: DestinationStream): Logger {
	const options: LoggerOptions = {
		level,
		base: { pid: process.pid },
		timestamp: stdTimeFunctions.isoTime,
		formatters: { level: (label) => ({ level: label }) },
		// A copy: pino merges the line's own fields into what mixin returns.
		mixin: () => {
			const store = context.getStore();
			return store ? { ...store } : {};
		}
	};
	return destination ? pino(options, destination) : pino(options);
}

const shared: Shared = ((globalThis as Record<symbol, Shared>)[SHARED] ??= create());

export const log: Logger = shared.logger;

/** Runs `work` so that every line logged during it, also later in callbacks, carries `context`. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
	return shared.context.run(context, work);
}

/**
 * For problems that repeat on every request while they last (a lost database): true at most
 * once per `ms`, so one line says it rather than one per request or connection.
 */
export function onceEvery(ms: number): () => boolean {
	let quietUntil = 0;
	return () => {
		if (Date.now() < quietUntil) return false;
		quietUntil = Date.now() + ms;
		return true;
	};
}

/** A logger like `log` that writes elsewhere (tests read its lines). */
export function loggerTo(destination: DestinationStream, level = 'info'): Logger {
	return buildLogger(shared.context, level, destination);
}

export function currentLogContext(): LogContext | undefined {
	return shared.context.getStore();
}

/** An id a client or proxy sent is kept only if it is short and plain, so it is safe in any log. */
const requestIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

/** The request id to use: the incoming `x-request-id` if acceptable, else a new UUID. */
export function requestIdFrom(header: string | string[] | null | undefined): string {
	const parsed = requestIdSchema.safeParse(header);
	return parsed.success ? parsed.data : randomUUID();
}
