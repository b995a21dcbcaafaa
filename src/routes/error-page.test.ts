import { render } from 'svelte/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The page SvelteKit shows when a page cannot be shown: what it says, and where it leads on. */
const page = vi.hoisted(() => ({ status: 404, url: new URL('http://localhost/g/abc?welcome=1'), error: null as App.Error | null }));
vi.mock('$app/state', () => ({ page }));

const { default: ErrorPage } = await import('./+error.svelte');
const links = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)].map(([, href, text]) => ({ href, text }));

describe('the error page', () => {
	beforeEach(() => {
		page.error = null;
	});

	it('offers the same page again when Buurtbord is briefly unreachable', () => {
		page.status = 503;
		page.error = { message: 'Buurtbord is even niet bereikbaar. Probeer het zo weer.', outage: true };
		const { body } = render(ErrorPage);
		expect(body).toContain('<h1>Even niet bereikbaar</h1>');
		expect(links(body)).toEqual([
			{ href: '/g/abc?welcome=1', text: 'Probeer opnieuw' },
			{ href: '/', text: 'Terug naar de agenda' }
		]);
		// A whole new load: the page's script may be the part that failed.
		expect(body).toMatch(/<a [^>]*data-sveltekit-reload[^>]*>Probeer opnieuw/);
	});

	it('an outage marked on another status is one too', () => {
		page.status = 500;
		page.error = { message: 'x', outage: true };
		expect(links(render(ErrorPage).body).map((l) => l.text)).toContain('Probeer opnieuw');
	});

	it('leads back to the agenda, and not to the same page, when the page does not exist', () => {
		page.status = 404;
		const { body } = render(ErrorPage);
		expect(body).toContain('<h1>Niet gevonden</h1>');
		expect(links(body)).toEqual([{ href: '/', text: 'Terug naar de agenda' }]);
	});
});
