import type { Stack } from './index.ts';

export function printStartupBanner(url: string, stack: Stack) {
	const lines = [
		'',
		`  Buurtbord is running at ${url}`,
		`  Database: ${stack.started.postgres ? 'embedded PostgreSQL' : 'DATABASE_URL'}` +
			` · Data API: ${stack.started.postgrest ? `embedded PostgREST at ${stack.env.SUPABASE_URL}/rest/v1` : 'SUPABASE_URL'}`
	];
	if (stack.started.migrationsApplied.length) lines.push(`  Migrations applied: ${stack.started.migrationsApplied.join(', ')}`);
	if (stack.started.seeded) lines.push('  Demo data loaded (supabase/seed.sql).');
	if (stack.demoInviteCode) lines.push(`  Invite link for the demo neighbourhood: ${url.replace(/\/$/, '')}/join/${stack.demoInviteCode}`);
	lines.push('  Press Ctrl-C to stop.', '');
	console.log(lines.join('\n'));
}
