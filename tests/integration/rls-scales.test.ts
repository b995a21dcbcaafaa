import { afterAll, describe, expect, it } from 'vitest';
import { adminDb, closeAdminDb } from './fixtures.ts';

/**
 * Row-level security that scales (Supabase's advice for RLS performance): a policy reads the
 * person once per query, `(select auth.uid())`, not once per row; the helper functions it calls
 * are `stable`, so PostgreSQL may evaluate them once per statement; and every column a policy
 * filters on by the person (in USING) is the first column of an index on its table.
 */
afterAll(closeAdminDb);

interface Policy {
	table: string;
	name: string;
	/** USING and WITH CHECK together. */
	expression: string;
	/** USING alone: what filters the rows a query reads (WITH CHECK only tests a written row). */
	using: string;
}

async function policies(): Promise<Policy[]> {
	const { rows } = await adminDb().query<Policy>(
		`select tablename as table, policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expression,
		        coalesce(qual, '') as using
		 from pg_policies where schemaname = 'public'`
	);
	return rows;
}

/** Calls of auth.uid(), auth.jwt() or auth.role() that PostgreSQL would make for every row. */
function unwrappedAuthCalls(expression: string): string[] {
	return [...expression.matchAll(/(\bSELECT\s+)?auth\.(uid|jwt|role)\(\)/gi)].filter((m) => !m[1]).map((m) => m[0]);
}

describe('row-level security that scales', () => {
	it('recognises an unwrapped call, and lets a wrapped one through', () => {
		expect(unwrappedAuthCalls('(member_id = auth.uid())')).toEqual(['auth.uid()']);
		expect(unwrappedAuthCalls('(member_id = ( SELECT auth.uid() AS uid))')).toEqual([]);
		expect(unwrappedAuthCalls("((auth.jwt() ->> 'role') = 'x') OR (id = ( SELECT auth.uid() AS uid))")).toEqual(['auth.jwt()']);
	});

	it('reads the person once per query in every policy', async () => {
		const all = await policies();
		expect(all.length).toBeGreaterThan(40);
		const perRow = all.filter((p) => unwrappedAuthCalls(p.expression).length > 0).map((p) => `${p.table}.${p.name}`);
		expect(perRow, 'write (select auth.uid()) in policies').toEqual([]);
	});

	it('calls only stable or immutable functions in policies', async () => {
		const { rows } = await adminDb().query<{ name: string; volatility: string }>(
			`select p.proname as name, p.provolatile as volatility from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			 where n.nspname = 'public'`
		);
		const volatility = new Map(rows.map((r) => [r.name, r.volatility]));
		const called = new Set((await policies()).flatMap((p) => [...p.expression.matchAll(/\b(\w+)\(/g)].map((m) => m[1]!)));
		const volatile = [...called].filter((name) => volatility.get(name) === 'v');
		expect([...called].filter((name) => volatility.has(name)).length).toBeGreaterThan(3);
		expect(volatile, 'mark helper functions stable').toEqual([]);
	});

	it('has an index starting with every column a policy filters on by the person', async () => {
		const { rows: indexes } = await adminDb().query<{ table: string; first: string }>(
			`select c.relname as table, a.attname as first
			 from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
			 join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
			 where n.nspname = 'public'`
		);
		const indexed = new Set(indexes.map((r) => `${r.table}.${r.first}`));
		const matched = new Set(
			(await policies()).flatMap((p) =>
				[...p.using.matchAll(/\b(\w+) = \( SELECT auth\.uid\(\) AS uid\)/g)].map((m) => `${p.table}.${m[1]}`)
			)
		);
		expect(matched.size).toBeGreaterThan(10);
		expect([...matched].filter((column) => !indexed.has(column)), 'add an index starting with these columns').toEqual([]);
	});
});
