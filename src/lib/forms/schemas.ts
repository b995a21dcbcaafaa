import { z } from 'zod';

/** A path on this site to return to after a form: never another origin. */
export const localPathSchema = z
	.string()
	.max(2000)
	.regex(/^\/(?![/\\])[^\s]*$/, 'must be a path on this site');
