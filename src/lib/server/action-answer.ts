/*
 * Answers given outside a form's own action and outside SvelteKit's pages: an outage
 * (outage-handle.ts) or a body too large to read (too-large.ts). The failure an enhanced form
 * reads, and the small page a plain post or a page request gets. No imports: src/server.ts
 * loads this under tsx, without SvelteKit's aliases.
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

/** The body of a `fail(status, data)` as an enhanced form (`use:enhance`) reads it. */
export function failureAnswer(status: number, data: unknown): string {
	return JSON.stringify({ type: 'failure', status, data: JSON.stringify(flatten(data)) });
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page of its own: no layout, no script, no styles (the security policy of answers outside
 * SvelteKit's pages allows none inline), readable on any phone. `title` is text; `head` and
 * `body` are HTML, escaped by the caller.
 */
export function plainPage(page: { lang: string; title: string; head?: string; body: string }): string {
	return `<!doctype html>
<html lang="${page.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${page.head ?? ''}<title>${escapeHtml(page.title)} · Buurtbord</title></head>
<body><main><h1>${escapeHtml(page.title)}</h1>${page.body}</main></body></html>`;
}
