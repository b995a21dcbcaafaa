import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies point one way: routes → a feature's server code (`<feature>/*.server.ts`) →
 * its queries (`<feature>/*queries.server.ts`) | realtime → pure rules. The platform
 * (src/lib/server: stack, config, logs, metrics, pools, security) serves them all. Checked here:
 * - routes never reach queries or the database clients (src/lib/server/db) directly;
 * - queries call no feature server code (that is the layer above them);
 * - pure modules and components (everything in src/lib outside src/lib/server that is not
 *   `*.server.ts`) import nothing server-side, so they run anywhere, the browser included.
 * A type import is fine everywhere: it is gone once compiled.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const lib = join(src, 'lib');
const routes = join(src, 'routes');
const platform = join(lib, 'server');
const databaseClients = join(platform, 'db');

// Static imports and re-exports (over several lines too), bare imports, and dynamic import().
const statement = /\b(import|export)\s+(type\s+)?(?:[\w$\s{},*]*?\bfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Where an import points in src/lib, or null for a package or a virtual module. */
function targetOf(specifier: string, file: string): string | null {
	if (specifier === '$lib') return lib;
	if (specifier.startsWith('$lib/')) return join(lib, specifier.slice('$lib/'.length));
	if (specifier.startsWith('.')) return resolve(dirname(file), specifier);
	return null;
}

const inside = (path: string, dir: string) => path === dir || path.startsWith(dir + sep);
const isQueries = (path: string) => /queries\.server(\.[jt]s)?$/.test(path);
const isServerCode = (path: string) => inside(path, platform) || /\.server(\.[jt]s)?$/.test(path) || /[\\/]\$env[\\/](static|dynamic)[\\/]private/.test(path);
const isFeatureServerCode = (path: string) => inside(path, lib) && !inside(path, platform) && /\.server(\.[jt]s)?$/.test(path) && !isQueries(path);

type Rule = { refuses: (target: string) => boolean; instead: string };
const rules = {
	route: { refuses: (t) => isQueries(t) || inside(t, databaseClients), instead: "call the feature's server code ($lib/<feature>/<feature>.server)" },
	queries: { refuses: isFeatureServerCode, instead: 'queries answer; the server code above them decides and announces' },
	pure: { refuses: isServerCode, instead: 'pure modules and components run in the browser too; pass the data in' }
} satisfies Record<string, Rule>;

/** Each import the rule refuses that is still there at run time: its line, and the statement. */
function refusedImports(source: string, file: string, rule: Rule): { line: number; text: string }[] {
	const found: { line: number; text: string }[] = [];
	for (const match of source.matchAll(statement)) {
		const [text, , typeOnly, specifier, dynamic] = match;
		const raw = specifier ?? dynamic!;
		const target = raw.startsWith('$env/') ? join('/', raw) : targetOf(raw, file);
		if (typeOnly || target === null || !rule.refuses(target)) continue;
		found.push({ line: source.slice(0, match.index).split('\n').length, text: text.replace(/\s+/g, ' ') });
	}
	return found;
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((name) => /\.(ts|js|svelte)$/.test(name) && !/\.test\.ts$/.test(name))
		.map((name) => join(dir, name));
}

function offending(files: string[], rule: Rule) {
	return files.flatMap((file) =>
		refusedImports(readFileSync(file, 'utf8'), file, rule).map((x) => `${relative(src, file)}:${x.line}: ${x.text}`)
	);
}

const libFiles = filesUnder(lib).filter((file) => !inside(file, platform) && !inside(file, join(lib, 'paraglide')));

describe('layering', () => {
	it('finds the imports it is meant to refuse, and lets type imports through', () => {
		const route = join(routes, 'g', '[id]', '+page.server.ts');
		const source = [
			"import { DataError } from '$lib/server/db/client';",
			"import type { DataClient } from '$lib/server/db/client';",
			"import { boardFor } from '$lib/boards/boards.server';",
			'import {',
			'\tboardSummary,',
			'\tlistPledges',
			"} from '$lib/boards/queries.server';",
			"import * as db from '$lib/server/db';",
			"export { findActivity } from '../../../lib/activities/activity-queries.server.ts';",
			"export type { Need } from '$lib/offers/queries.server';",
			"const late = await import('$lib/account/member-queries.server');",
			"import { dbPing } from '$lib/server/dbx';"
		].join('\n');
		expect(refusedImports(source, route, rules.route).map((x) => x.line)).toEqual([1, 4, 8, 9, 11]);
	});

	it('keeps queries from calling the server code above them', () => {
		const queries = join(lib, 'boards', 'queries.server.ts');
		const source = [
			"import { respond } from '$lib/boards/boards.server';",
			"import { announcer } from '../realtime/announcer.server.ts';",
			"import { unwrap } from '$lib/server/db/client';",
			"import { findActivity } from '$lib/activities/activity-queries.server';",
			"import type { BoardView } from './boards.server.ts';"
		].join('\n');
		expect(refusedImports(source, queries, rules.queries).map((x) => x.line)).toEqual([1, 2]);
	});

	it('keeps pure modules and components off server code', () => {
		const pure = join(lib, 'boards', 'board.ts');
		const source = [
			"import { log } from '$lib/server/log';",
			"import { boardFor } from './boards.server.ts';",
			"import { env } from '$env/dynamic/private';",
			"import { topic } from '$lib/realtime/events';",
			"import { z } from 'zod';",
			"import type { Need } from '$lib/offers/queries.server';",
			"import { m } from '$lib/paraglide/messages';"
		].join('\n');
		expect(refusedImports(source, pure, rules.pure).map((x) => x.line)).toEqual([1, 2, 3]);
	});

	it('keeps every route off queries and database clients', () => {
		expect(offending(filesUnder(routes), rules.route), rules.route.instead).toEqual([]);
	});

	it('keeps every query module off feature server code', () => {
		expect(offending(libFiles.filter(isQueries), rules.queries), rules.queries.instead).toEqual([]);
	});

	it('keeps every pure module and component off server code', () => {
		const pure = libFiles.filter((file) => !/\.server\.[jt]s$/.test(file));
		expect(pure.length).toBeGreaterThan(40);
		expect(offending(pure, rules.pure), rules.pure.instead).toEqual([]);
	});
});
