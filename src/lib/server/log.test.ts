import { describe, expect, it } from 'vitest';
import { currentLogContext, loggerTo, requestIdFrom, withLogContext } from './log.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function capture() {
	const lines: Record<string, unknown>[] = [];
	const logger = loggerTo({ write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
	return { logger, lines };
}

describe('requestIdFrom', () => {
	it('keeps a short, plain id a proxy sent', () => {
		expect(requestIdFrom('abc-123_X.y')).toBe('abc-123_X.y');
		expect(requestIdFrom('a'.repeat(64))).toBe('a'.repeat(64));
	});

	it('makes a new UUID for a missing, long or unsafe id', () => {
		for (const header of [null, undefined, '', 'a'.repeat(65), 'has space', 'line\nbreak', '{"json":1}', 'ünïcode', ['a', 'b']]) {
			const id = requestIdFrom(header);
			expect(id, String(header)).toMatch(UUID);
		}
		expect(requestIdFrom(null)).not.toBe(requestIdFrom(null));
	});
});

describe('log lines', () => {
	it('are JSON with a level name, time and message', () => {
		const { logger, lines } = capture();
		logger.warn({ route: '/g/[id]' }, 'hello');
		expect(lines[0]).toMatchObject({ level: 'warn', msg: 'hello', route: '/g/[id]', pid: process.pid });
		expect(Date.parse(lines[0]!.time as string)).not.toBeNaN();
	});

	it('carry the request and socket id of the context they are written in, also after awaiting', async () => {
		const { logger, lines } = capture();
		logger.info('outside');
		await withLogContext({ requestId: 'req-1', socketId: 'sock-1' }, async () => {
			logger.info('before');
			await new Promise((resolve) => setTimeout(resolve, 1));
			logger.info({ requestId: 'own' }, 'after');
		});
		await Promise.all([
			withLogContext({ requestId: 'req-a' }, async () => {
				await new Promise((resolve) => setTimeout(resolve, 2));
				logger.info('a');
			}),
			withLogContext({ requestId: 'req-b' }, async () => logger.info('b'))
		]);
		expect(lines.map((l) => [l.msg, l.requestId, l.socketId])).toEqual([
			['outside', undefined, undefined],
			['before', 'req-1', 'sock-1'],
			// A line's own field wins over the context's.
			['after', 'own', 'sock-1'],
			['b', 'req-b', undefined],
			['a', 'req-a', undefined]
		]);
		expect(currentLogContext()).toBeUndefined();
	});

	it('leave the context itself untouched', () => {
		const { logger } = capture();
		const context = { requestId: 'req-2' };
		withLogContext(context, () => logger.info({ extra: 1 }, 'x'));
		expect(context).toEqual({ requestId: 'req-2' });
	});
});
