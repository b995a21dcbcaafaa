import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Dutch is the source; every other language must have every message, and nothing extra. */
const dir = join(import.meta.dirname, 'messages');
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
const settings = JSON.parse(readFileSync(join(import.meta.dirname, 'project.inlang', 'settings.json'), 'utf8'));

describe('messages', () => {
	const source = load('nl.json');
	const keys = Object.keys(source).filter((k) => k !== '$schema').sort();

	it('has a file for every configured language', () => {
		expect(readdirSync(dir).sort()).toEqual(settings.locales.map((l: string) => `${l}.json`).sort());
	});

	for (const file of readdirSync(dir).filter((f) => f !== 'nl.json')) {
		it(`${file} is complete`, () => {
			const other = load(file);
			expect(Object.keys(other).filter((k) => k !== '$schema').sort()).toEqual(keys);
			for (const key of keys) expect(other[key], key).not.toEqual('');
		});
	}

	it('never uses a stigmatising word', () => {
		const text = JSON.stringify(source).toLowerCase() + JSON.stringify(load('en.json')).toLowerCase();
		for (const word of ['arm ', 'armoede', 'kwetsbaar', 'eenzaam', 'poor', 'poverty', 'vulnerable', 'lonely']) {
			expect(text, word).not.toContain(word);
		}
	});
});
