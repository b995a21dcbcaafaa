/*
 * The answer SvelteKit's enhanced forms read, for answers given outside the form's own action:
 * an outage (outage-handle.ts) or a body too large to read (too-large.ts). Plain relative
 * imports only: src/server.ts loads this under tsx, without SvelteKit's aliases.
 */

/**
 * devalue's flat form of plain data (objects, arrays, strings, numbers, booleans, null),
 * which is how SvelteKit sends an action's data: the root at 0, every value in the list.
 */
export function flatten(value: unknown): unknown[] {
	const list: unknown[] = [];
	const add = (v: unknown): number => {
		const index = list.length;
		list.push(null);
		if (Array.isArray(v)) list[index] = v.map(add);
		else if (v && typeof v === 'object') list[index] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, add(x)]));
		else list[index] = v === undefined ? null : v;
		return index;
	};
	if (value === undefined) return [-1];
	add(value);
	return list;
}

/** `?/respond` → "respond"; the default action has no name. */
export function actionName(url: URL): string | undefined {
	const key = [...url.searchParams.keys()].find((k) => k.startsWith('/'));
	return key ? key.slice(1) : undefined;
}
