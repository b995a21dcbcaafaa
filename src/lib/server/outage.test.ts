import { describe, expect, it, vi } from 'vitest';
import { DataError, UNAVAILABLE_CODE } from './db/client.ts';
import { log } from './log.ts';
import { authLog, isOutage, Outage, sessionLookupFailed } from './outage.ts';

describe('isOutage', () => {
	it('recognises an unreachable Data API, PostgREST without its database, and lost pg connections', () => {
		expect(isOutage(new DataError('x', UNAVAILABLE_CODE, 'Data API unavailable'))).toBe(true);
		expect(isOutage(new DataError('x', 'PGRST001', 'Database client error'))).toBe(true);
		expect(isOutage(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
		expect(isOutage(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
		expect(isOutage(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
		expect(isOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
		expect(isOutage(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }))).toBe(true);
		expect(isOutage(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(true);
		expect(isOutage(new Outage('PostgreSQL'))).toBe(true);
	});

	it('leaves real errors alone: refusals, bugs, constraint violations', () => {
		expect(isOutage(new DataError('x', '23505', 'duplicate key'))).toBe(false);
		expect(isOutage(new DataError('x', 'P0001', 'closed'))).toBe(false);
		expect(isOutage(new DataError('x', undefined, 'weird'))).toBe(false);
		expect(isOutage(new TypeError('cannot read properties of undefined'))).toBe(false);
		expect(isOutage(Object.assign(new Error('permission denied'), { code: '42501' }))).toBe(false);
		expect(isOutage(null)).toBe(false);
		expect(isOutage('ECONNREFUSED')).toBe(false);
	});

	it('turns a failed session lookup into an outage, never into "signed out"', () => {
		expect(() => sessionLookupFailed(new Error('boom'))).toThrow(Outage);
	});
});

describe('authLog', () => {
	it('says a lost database once in a while instead of a stack trace per request; other errors as usual', () => {
		const spy = vi.spyOn(log, 'error').mockImplementation(() => {});
		try {
			const lost = Object.assign(new Error('the database system is starting up'), { code: '57P03' });
			authLog('error', 'INTERNAL_SERVER_ERROR', lost);
			authLog('error', 'INTERNAL_SERVER_ERROR', lost);
			expect(spy).toHaveBeenCalledTimes(1);
			expect(String(spy.mock.calls[0]![1])).toContain('not reachable');
			const bug = new TypeError('x is undefined');
			authLog('error', 'INTERNAL_SERVER_ERROR', bug);
			expect(spy).toHaveBeenCalledTimes(2);
			expect(spy.mock.calls[1]![0]).toMatchObject({ err: bug });
		} finally {
			spy.mockRestore();
		}
	});
});
