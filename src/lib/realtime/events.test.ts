import { describe, expect, it } from 'vitest';
import { topic } from './events.ts';
import { watchRequestSchema } from './schemas.ts';

const id = '00000000-0000-4000-8000-000000000001';

describe('watch requests', () => {
	it('accept a topic of the vocabulary', () => {
		expect(watchRequestSchema.parse({ topic: topic.neighbourhood(id) })).toEqual({ topic: `neighbourhood:${id}` });
		expect(watchRequestSchema.safeParse({ topic: topic.gathering(id) }).success).toBe(true);
	});

	it.each([
		{ topic: `member:${id}` },
		{ topic: 'neighbourhood:not-a-uuid' },
		{ topic: `neighbourhood:${id}`, extra: true },
		{ topic: 42 },
		'neighbourhood',
		null
	])('refuse %j', (input) => {
		expect(watchRequestSchema.safeParse(input).success).toBe(false);
	});
});
