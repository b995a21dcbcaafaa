import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true,
		// No window.__svelte version stamp: one small script fewer on every page.
		discloseVersion: false
	},
	kit: {
		// The production server (src/server.ts) wraps build/handler.js so socket.io shares its port.
		adapter: adapter({ out: 'build' }),
		csrf: { trustedOrigins: [] },
		// The server, not the browser, finds which page a link leads to (one small request per new
		// path, cached; answered before any hook), so no page has to download the table of every
		// route and its files: about 2.8 kB gzipped less on every page.
		router: { resolution: 'server' },
		// Content-Security-Policy of every page SvelteKit renders. 'auto': server-rendered pages
		// get a fresh nonce for SvelteKit's own inline start-up script, prerendered ones a hash.
		// Files served as they are (static/, the build's assets, feeds) get the policy in
		// src/lib/server/security/headers.ts instead.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// Only our own files and SvelteKit's nonce'd start-up script: no inline handlers, no eval.
				'script-src': ['self'],
				// Svelte compiles component styles into .css files, and the app sets no style
				// attributes, so inline styles stay blocked too ('unsafe-inline' is added only in
				// `npm run dev`, where Vite injects styles as <style> tags).
				'style-src': ['self'],
				// One exception: the style attribute of SvelteKit's own route announcer (the
				// visually hidden live region that tells screen readers a new page opened), allowed
				// by its hash alone. Should SvelteKit change it, tests/e2e/security.spec.ts fails.
				'style-src-attr': ['unsafe-hashes', 'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='],
				// Organisations' logos are links to their own sites; only https is accepted there.
				'img-src': ['self', 'https:'],
				'font-src': ['self'],
				// 'self' covers the socket too: CSP 3 matches ws:/wss: of the same host and port
				// (browsers without that fall back to socket.io's long polling, also 'self').
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'media-src': ['none'],
				'object-src': ['none'],
				'frame-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
