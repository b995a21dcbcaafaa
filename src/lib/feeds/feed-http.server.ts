import { z } from 'zod';
import type { FeedLocale } from './feed-links.ts';
import type { Conditional, FeedAnswer } from './feeds.server.ts';

/** `?lang=en` picks English; anything else is Dutch. */
export function feedLocale(url: URL): FeedLocale {
	return z.enum(['nl', 'en']).catch('nl').parse(url.searchParams.get('lang') ?? 'nl');
}

export function conditionalOf(request: Request): Conditional {
	return { ifNoneMatch: request.headers.get('if-none-match'), ifModifiedSince: request.headers.get('if-modified-since') };
}

/**
 * A feed as an HTTP answer. Public feeds may be kept five minutes by caches; personal ones
 * are private and always revalidated, and never indexed or passed on as a referrer.
 */
export function feedResponse(answer: FeedAnswer, options: { personal?: boolean; download?: boolean } = {}): Response {
	const headers = new Headers({
		ETag: answer.etag,
		'Last-Modified': answer.lastModified.toUTCString(),
		'Cache-Control': options.personal ? 'private, no-cache' : 'public, max-age=300',
		'X-Robots-Tag': 'noindex'
	});
	if (options.personal) headers.set('Referrer-Policy', 'no-referrer');
	if (answer.status === 304) return new Response(null, { status: 304, headers });
	headers.set('Content-Type', 'text/calendar; charset=utf-8');
	headers.set('Content-Disposition', `${options.download ? 'attachment' : 'inline'}; filename="${answer.filename}"`);
	return new Response(answer.body, { status: 200, headers });
}
