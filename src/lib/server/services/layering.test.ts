import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Dependencies point one way: routes → services → db. Routes reach the database only through
 * src/lib/server/services; a type from a db module is fine, as it is gone once compiled.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const routes = join(src, 'routes');
const db = join(src, 'lib', 'server', 'db');

// Static imports and re-exports (over several lines too), bare imports, and dynamic import().
const statement = /\b(import|export)\s+(type\s+)?(?:[\w$\s{},*]*?\bfrom\s*)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function isDbModule(specifier: string, file: string) {
	const target = specifier.startsWith('$lib/')
		? join(src, 'lib', specifier.slice('$lib/'.length))
		: specifier === '$lib'
			? join(src, 'lib')
			: specifier.startsWith('.')
				? resolve(dirname(file), specifier)
				: null;
	return target !== null && (target === db || target.startsWith(db + sep));
}

/** Each import of a db module that is still there at run time: its line, and the statement. */
function runtimeDbImports(source: string, file: string): { line: number; text: string }[] {
	const found: { line: number; text: string }[] = [];
	for (const match of source.matchAll(statement)) {
		const [text, , typeOnly, specifier, dynamic] = match;
		if (typeOnly || !isDbModule(specifier ?? dynamic!, file)) continue;
		found.push({ line: source.slice(0, match.index).split('\n').length, text: text.replace(/\s+/g, ' ') });
	}
	return found;
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((name) => /\.(ts|js|svelte)$/.test(name))
		.map((name) => join(dir, name));
}

describe('layering', () => {
	it('finds the imports it is meant to refuse, and lets type imports through', () => {
		const route = join(routes, 'g', '[id]', '+page.server.ts');
		const source = [
			"import { DataError } from '$lib/server/db/client';",
			"import type { DataClient } from '$lib/server/db/client';",
			"import { boardFor } from '$lib/server/services/boards';",
			'import {',
			'\tboardSummary,',
			'\tlistPledges',
			"} from '$lib/server/db/boards';",
			"import * as db from '$lib/server/db';",
			"export { findActivity } from '../../../lib/server/db/activities.ts';",
			"export type { Need } from '$lib/server/db/offers';",
			"const late = await import('$lib/server/db/members');",
			"import { dbPing } from '$lib/server/dbx';"
		].join('\n');
		expect(runtimeDbImports(source, route).map((x) => x.line)).toEqual([1, 4, 8, 9, 11]);
	});

	it('keeps every route off the db modules at run time', () => {
		const offending = filesUnder(routes).flatMap((file) =>
			runtimeDbImports(readFileSync(file, 'utf8'), file).map((x) => `${relative(src, file)}:${x.line}: ${x.text}`)
		);
		expect(offending, 'import from $lib/server/services instead (or use `import type`)').toEqual([]);
	});
});
