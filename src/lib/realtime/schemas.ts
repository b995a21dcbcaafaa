import { z } from 'zod';
import { topicKinds, type Topic } from './events.ts';

/** What the server accepts from a socket; kept apart so page scripts do not carry zod. */
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
export const topicSchema = z
	.string()
	.max(60)
	.regex(new RegExp(`^(${topicKinds.join('|')}):${uuid.source}$`)) as z.ZodType<Topic>;

export const watchRequestSchema = z.object({ topic: topicSchema }).strict();
