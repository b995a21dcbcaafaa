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

	// Inputs that count something. A number that is not a count (one's number in a line, a year)
	// has another name (place, year) and needs no plural form.
	const counts = new Set(['capacity', 'going', 'left', 'quantity', 'hours', 'minutes', 'count', 'arranged', 'asked', 'used', 'places', 'pledged', 'good', 'ok', 'bad', 'guests', 'people', 'waiting']);
	type Variant = { declarations: string[]; selectors: string[]; match: Record<string, string> };
	const inputsOf = (message: unknown): string[] =>
		typeof message === 'string'
			? [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
			: (message as Variant[]).flatMap((v) => v.declarations.filter((d) => d.startsWith('input ')).map((d) => d.slice('input '.length)));

	for (const file of readdirSync(dir)) {
		it(`${file}: every message with a number has its plural forms`, () => {
			const messages = load(file);
			const found: string[] = [];
			for (const [key, message] of Object.entries(messages)) {
				if (key === '$schema' || !inputsOf(message).some((input) => counts.has(input))) continue;
				found.push(key);
				expect(Array.isArray(message), `${key} is plain text: give it plural forms`).toBe(true);
				for (const variant of message as Variant[]) {
					const plural = variant.declarations.find((d) => /^local \w+ = \w+: plural$/.test(d));
					expect(plural, `${key} chooses no form by a number`).toBeDefined();
					const local = plural!.split(' ')[1]!;
					expect(variant.selectors, key).toContain(local);
					expect(Object.keys(variant.match).some((m) => m.includes(`${local}=one`)), `${key} has no form for one`).toBe(true);
					expect(Object.keys(variant.match).some((m) => m.includes(`${local}=other`)), `${key} has no form for more`).toBe(true);
				}
			}
			// The rule is about something: the board's counts are among the messages it checks.
			expect(found).toEqual(expect.arrayContaining(['board_going_of', 'board_updated', 'gathering_places']));
		});
	}

	it('never uses a stigmatising word', () => {
		const text = JSON.stringify(source).toLowerCase() + JSON.stringify(load('en.json')).toLowerCase();
		for (const word of ['arm ', 'armoede', 'kwetsbaar', 'eenzaam', 'poor', 'poverty', 'vulnerable', 'lonely']) {
			expect(text, word).not.toContain(word);
		}
	});
});
