import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/lib/server/security/secret-markers.ts';

/**
 * Secrets stay on the server: nothing a browser can download (build/client, everything the
 * production server serves as a file) names a server secret, holds a token or a database URL,
 * or comes from a server module. Needs `build/` (`npm test` builds first; alone: `npx vite build`).
 */
const CLIENT = 'build/client';
const TEXT = new Set(['.js', '.mjs', '.css', '.html', '.json', '.webmanifest', '.svg', '.txt', '.map', '.xml']);

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}

describe('the built client', () => {
	it('holds no secret, token, database URL or server module', () => {
		expect(statSync(CLIENT, { throwIfNoEntry: false })?.isDirectory(), `${CLIENT} is missing: run \`npx vite build\` first`).toBe(true);
		// The compressed copies (.br, .gz) hold the same bytes as the files searched here.
		const files = filesUnder(CLIENT).filter((file) => TEXT.has(extname(file)));
		// The search really covers the app's code: the entry, its chunks, the service worker.
		expect(files.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(10);
		expect(files).toContain(join(CLIENT, 'service-worker.js'));
		const findings = files.flatMap((file) => findSecrets(relative(CLIENT, file), readFileSync(file, 'utf8')));
		expect(findings).toEqual([]);
	});

	it('carries no zod: page scripts validate nothing themselves, and zod probes eval, which the CSP forbids', () => {
		// zod's own marker (its check whether eval is allowed); shared modules with a schema pull it in.
		const withZod = filesUnder(CLIENT).filter((file) => extname(file) === '.js' && readFileSync(file, 'utf8').includes('jitless'));
		expect(withZod.map((file) => relative(CLIENT, file))).toEqual([]);
	});
});
