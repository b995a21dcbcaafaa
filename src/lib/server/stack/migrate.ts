import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { SUPABASE_COMPAT_SQL } from './supabase-compat.ts';

/** `<timestamp>_<name>.sql`, as the Supabase CLI names migrations. */
const MIGRATION_FILE = /^(\d{14})_([a-z0-9_]+)\.sql$/;

export interface MigrationReport {
	applied: string[];
	seeded: boolean;
}

export async function listMigrations(supabaseDir: string) {
	const dir = join(supabaseDir, 'migrations');
	const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
	return files.map((file) => {
		const match = MIGRATION_FILE.exec(file);
		if (!match) throw new Error(`supabase/migrations/${file}: name must be <14-digit timestamp>_<name>.sql`);
		return { version: match[1]!, name: match[2]!, path: join(dir, file) };
	});
}

/**
 * Brings the database up to date: the Supabase compatibility layer, then every pending
 * migration in order, each in its own transaction and recorded in
 * `supabase_migrations.schema_migrations` as the Supabase CLI does; then the demo data from
 * `supabase/seed.sql` if asked for and the database has no neighbourhood yet.
 * An advisory lock keeps two app instances from migrating at the same time.
 *
 * An applied migration is never edited: the SHA-256 of each file is kept in
 * `supabase_migrations.buurtbord_checksums` (the CLI's own table stays as the CLI writes it),
 * and start-up is refused, naming the file, when an applied migration's file changed or is
 * gone. A migration applied before checksums were kept is compared with the text the app
 * recorded in `statements` when there is one, then its checksum is recorded.
 */
export async function migrate(
	databaseUrl: string,
	options: { supabaseDir: string; seed: boolean }
): Promise<MigrationReport> {
	const client = new pg.Client({ connectionString: databaseUrl });
	// A dropped connection rejects the running query; without a listener it would end the process.
	client.on('error', () => {});
	await client.connect();
	const report: MigrationReport = { applied: [], seeded: false };
	try {
		await client.query(`select pg_advisory_lock(hashtext('buurtbord.migrate'))`);
		await requireApiRoles(client);
		await client.query(SUPABASE_COMPAT_SQL);
		await client.query(`
			create schema if not exists supabase_migrations;
			create table if not exists supabase_migrations.schema_migrations (
				version text not null primary key,
				statements text[],
				name text
			);
		`);
		const migrations = await listMigrations(options.supabaseDir);
		const done = await checkApplied(client, migrations);
		// The runner's own tables are nobody else's business, whatever the database grants by default.
		await client.query(
			'revoke all on supabase_migrations.schema_migrations, supabase_migrations.buurtbord_checksums from anon, authenticated, service_role'
		);

		for (const migration of migrations) {
			if (done.has(migration.version)) continue;
			const sql = await readFile(migration.path, 'utf8');
			await inTransaction(client, async () => {
				await client.query(sql);
				await client.query(
					'insert into supabase_migrations.schema_migrations (version, statements, name) values ($1, $2, $3)',
					[migration.version, [sql], migration.name]
				);
				await recordChecksum(client, migration.version, sha256(sql));
			}).catch((error: Error) => {
				throw new Error(`Migration ${migration.version}_${migration.name} failed: ${error.message}`, { cause: error });
			});
			report.applied.push(`${migration.version}_${migration.name}`);
		}

		if (options.seed) {
			const { rows: existing } = await client.query('select 1 from public.neighbourhood limit 1');
			if (existing.length === 0) {
				const files = await seedFiles(options.supabaseDir);
				await inTransaction(client, async () => {
					for (const file of files) await client.query(await readFile(file, 'utf8'));
				});
				report.seeded = files.length > 0;
			}
		}
		// Tell a running PostgREST to pick up new tables and functions.
		if (report.applied.length > 0) await client.query(`notify pgrst, 'reload schema'`);
	} finally {
		await client.query(`select pg_advisory_unlock(hashtext('buurtbord.migrate'))`).catch(() => {});
		await client.end();
	}
	return report;
}

type Migration = Awaited<ReturnType<typeof listMigrations>>[number];

const API_ROLES = {
	anon: 'create role anon nologin inherit;',
	authenticated: 'create role authenticated nologin inherit;',
	service_role: 'create role service_role nologin inherit bypassrls;',
	authenticator: "create role authenticator login noinherit;\n  comment on role authenticator is 'created by buurtbord';\n  grant anon, authenticated, service_role to authenticator;"
} as const;

/**
 * The Data API's roles exist (Supabase has them), or this database user may create them. Where
 * neither holds, stops with what an administrator must run once: `service_role` bypasses RLS,
 * which only a superuser may grant.
 */
async function requireApiRoles(client: pg.Client) {
	const { rows } = await client.query<{ missing: string[]; superuser: boolean; user: string }>(
		`select array(select r from unnest($1::text[]) with ordinality as u(r, n)
		              where not exists (select from pg_roles where rolname = r) order by n) as missing,
		        (select rolsuper from pg_roles where rolname = current_user) as superuser, current_user as user`,
		[Object.keys(API_ROLES)]
	);
	const { missing, superuser, user } = rows[0]!;
	if (missing.length === 0 || superuser) return;
	const quoted = `"${user.replaceAll('"', '""')}"`;
	const statements = [
		...missing.map((role) => API_ROLES[role as keyof typeof API_ROLES]),
		...(missing.includes('authenticator') ? [`grant authenticator to ${quoted} with admin option;`, `alter role ${quoted} createrole;`] : [])
	];
	throw new Error(
		`The database user ${quoted} may not create the roles the Data API needs (missing: ${missing.join(', ')}). ` +
			`Ask an administrator to run this once, as a superuser, then start Buurtbord again:\n  ${statements.join('\n  ')}`
	);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const recordChecksum = (client: pg.Client, version: string, checksum: string) =>
	client.query(
		'insert into supabase_migrations.buurtbord_checksums (version, sha256) values ($1, $2) on conflict (version) do nothing',
		[version, checksum]
	);

/**
 * The versions already applied, once every one of them is checked against its file: a file
 * that changed after it was applied, or is gone, stops the migration with its name.
 */
async function checkApplied(client: pg.Client, migrations: Migration[]): Promise<Set<string>> {
	await client.query(`
		create table if not exists supabase_migrations.buurtbord_checksums (
			version text not null primary key,
			sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
			recorded_at timestamptz not null default now()
		);
	`);
	const { rows } = await client.query<{ version: string; name: string | null; statements: string[] | null; sha256: string | null }>(
		`select m.version, m.name, m.statements, c.sha256
		 from supabase_migrations.schema_migrations m
		 left join supabase_migrations.buurtbord_checksums c on c.version = m.version
		 order by m.version`
	);
	const files = new Map(migrations.map((m) => [m.version, m]));
	for (const applied of rows) {
		const migration = files.get(applied.version);
		if (!migration) {
			throw new Error(
				`Migration ${applied.version}_${applied.name ?? ''} was applied to this database but supabase/migrations/ no longer has it. ` +
					'Applied migrations are never edited, renamed or removed; restore the file (or start from an empty database).'
			);
		}
		const file = `supabase/migrations/${migration.version}_${migration.name}.sql`;
		const checksum = sha256(await readFile(migration.path, 'utf8'));
		// Applied before checksums were kept: the app recorded the file's text as one statement.
		const expected = applied.sha256 ?? (applied.statements?.length === 1 ? sha256(applied.statements[0]!) : null);
		if (expected !== null && expected !== checksum) {
			throw new Error(
				`${file} changed after it was applied to this database. Applied migrations are never edited: ` +
					'restore the file as it was and put the change in a new migration.'
			);
		}
		if (applied.sha256 === null) await recordChecksum(client, applied.version, checksum);
	}
	return new Set(rows.map((r) => r.version));
}

const supabaseConfigSchema = z.object({
	db: z
		.object({
			seed: z.object({ enabled: z.boolean().default(true), sql_paths: z.array(z.string()).default(['./seed.sql']) }).optional()
		})
		.optional()
});

/** The seed files `supabase/config.toml` names (`[db.seed]`), as the Supabase CLI reads them. */
export async function seedFiles(supabaseDir: string): Promise<string[]> {
	const config = supabaseConfigSchema.parse(parseToml(await readFile(join(supabaseDir, 'config.toml'), 'utf8')));
	const seed = config.db?.seed ?? { enabled: true, sql_paths: ['./seed.sql'] };
	return seed.enabled ? seed.sql_paths.map((path) => join(supabaseDir, path)) : [];
}

async function inTransaction(client: pg.Client, work: () => Promise<unknown>) {
	await client.query('begin');
	try {
		await work();
		await client.query('commit');
	} catch (error) {
		await client.query('rollback');
		throw error;
	}
}
