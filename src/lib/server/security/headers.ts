import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Security headers on every answer, static files included. In production, static files are
 * served by adapter-node's sirv inside build/handler.js, which SvelteKit's hooks never see, so
 * these are set on the Node response before the handler runs (src/server.ts, and the dev
 * plugin for `npm run dev`); a header the app sets itself replaces the one set here.
 *
 * Kept free of `$lib` and `$env` imports: loaded outside SvelteKit.
 */

/**
 * Content-Security-Policy for what SvelteKit does not render: static files (the offline page,
 * icons, the manifest), the service worker (its own fetches follow its policy, hence
 * default-src 'self'), feeds, JSON and SVG answers. Pages get kit.csp from svelte.config.js,
 * with nonces, which replaces this one.
 */
export const FILE_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'"
].join('; ');

/** Powerful features the app never uses, switched off for it and anything it could embed. */
const PERMISSIONS_POLICY = [
	'accelerometer=()',
	'browsing-topics=()',
	'camera=()',
	'display-capture=()',
	'geolocation=()',
	'gyroscope=()',
	'magnetometer=()',
	'microphone=()',
	'payment=()',
	'usb=()'
].join(', ');

/** The headers for an app served at `origin` (ORIGIN, the public URL). */
export function securityHeaders(origin: string | undefined): Record<string, string> {
	const headers: Record<string, string> = {
		'Content-Security-Policy': FILE_CSP,
		'X-Content-Type-Options': 'nosniff',
		// Invite, return and feed links carry their secret in the path: other sites only ever
		// learn our origin. Not 'no-referrer': with it, browsers send `Origin: null` on the
		// app's own form posts, and the cross-site check would refuse them all. Personal feeds
		// and the logos of organisations set no-referrer on their own.
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'X-Frame-Options': 'DENY',
		'Permissions-Policy': PERMISSIONS_POLICY,
		'Cross-Origin-Opener-Policy': 'same-origin'
	};
	// Only where the public URL is https: on plain http the header is ignored anyway, and a
	// local run must never pin a browser to https for localhost.
	if (origin?.startsWith('https://')) headers['Strict-Transport-Security'] = 'max-age=31536000';
	return headers;
}

/** Sets the headers on a Node response; later `setHeader`/`writeHead` calls for the same name win. */
export function applySecurityHeaders(res: ServerResponse, headers: Record<string, string>) {
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/** Connect-style middleware for Vite's dev server; reads ORIGIN per request (it is set once Vite listens). */
export function securityHeadersMiddleware() {
	return (_req: IncomingMessage, res: ServerResponse, next: () => void) => {
		applySecurityHeaders(res, securityHeaders(process.env.ORIGIN));
		next();
	};
}
