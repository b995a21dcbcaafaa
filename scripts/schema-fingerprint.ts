/**
 * A database schema as normalised, sorted text, read from the catalogue: schemas, types,
 * tables and their columns, defaults, constraints, indexes, sequences, functions (full
 * definition, owner, privileges), triggers, policies, table/column/schema/type privileges,
 * default privileges, extensions and roles. Two databases with the same fingerprint have the
 * same schema; object ids, creation order and comments do not count.
 *
 *   node --import tsx scripts/schema-fingerprint.ts                 fingerprint of supabase/migrations
 *   node --import tsx scripts/schema-fingerprint.ts --compare <ref>  and the diff with the migrations at git <ref>
 *
 * Each set of migrations is applied by the app's own runner to a fresh embedded PostgreSQL
 * (its own cluster, so the roles it creates count too).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/lib/server/stack/embedded-postgres.ts';
import { migrate } from '../src/lib/server/stack/migrate.ts';

/** Schemas of PostgreSQL itself, left out. */
const SYSTEM = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'`;

/** An ACL as sorted `grantee=privilege[*]/grantor` items; NULL (the default) made explicit. */
const acl = (column: string, kind: string, owner: string) => `(
	select coalesce(string_agg(x.item, ' ' order by x.item), '-') from (
		select coalesce(g.rolname, 'PUBLIC') || '=' || a.privilege_type || case when a.is_grantable then '*' else '' end
			|| '/' || coalesce(r.rolname, a.grantor::text) as item
		from aclexplode(coalesce(${column}, acldefault((${kind})::"char", ${owner}))) a
		left join pg_roles g on g.oid = a.grantee
		left join pg_roles r on r.oid = a.grantor
	) x)`;

const QUERIES: string[] = [
	`select 'role ' || rolname || ' super=' || rolsuper || ' inherit=' || rolinherit || ' createrole=' || rolcreaterole
		|| ' createdb=' || rolcreatedb || ' login=' || rolcanlogin || ' bypassrls=' || rolbypassrls
		|| ' member_of=' || coalesce((select string_agg(p.rolname, ',' order by p.rolname) from pg_auth_members m
			join pg_roles p on p.oid = m.roleid where m.member = r.oid), '-')
	 from pg_roles r where rolname not like 'pg\\_%'`,
	`select 'extension ' || extname || ' ' || extversion from pg_extension`,
	`select 'schema ' || n.nspname || ' owner=' || pg_get_userbyid(n.nspowner) || ' acl=' || ${acl('n.nspacl', "'n'", 'n.nspowner')}
	 from pg_namespace n where ${SYSTEM}`,
	`select 'type ' || n.nspname || '.' || t.typname || ' kind=' || t.typtype::text || ' owner=' || pg_get_userbyid(t.typowner)
		|| ' acl=' || ${acl('t.typacl', "'T'", 't.typowner')}
		|| coalesce(' labels=' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '')
		|| case when t.typtype = 'd' then ' base=' || format_type(t.typbasetype, t.typtypmod) || ' notnull=' || t.typnotnull
			|| ' default=' || coalesce(t.typdefault, '-') else '' end
	 from pg_type t join pg_namespace n on n.oid = t.typnamespace
	 where ${SYSTEM} and t.typtype in ('e', 'd', 'r', 'm')
		or (${SYSTEM} and t.typtype = 'c' and exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind = 'c'))`,
	`select 'relation ' || n.nspname || '.' || c.relname || ' kind=' || c.relkind::text || ' owner=' || pg_get_userbyid(c.relowner)
		|| ' persistence=' || c.relpersistence::text || ' rls=' || c.relrowsecurity || ' force_rls=' || c.relforcerowsecurity
		|| ' replident=' || c.relreplident::text || ' options=' || coalesce(array_to_string(c.reloptions, ','), '-')
		|| ' acl=' || ${acl('c.relacl', "case when c.relkind = 'S' then 's' else 'r' end", 'c.relowner')}
	 from pg_class c join pg_namespace n on n.oid = c.relnamespace
	 where ${SYSTEM} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c')`,
	`select 'column ' || n.nspname || '.' || c.relname || ' #' || a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
		|| ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
		|| ' identity=' || coalesce(nullif(a.attidentity::text, ''), '-') || ' generated=' || coalesce(nullif(a.attgenerated::text, ''), '-')
		|| ' collation=' || coalesce((select collname from pg_collation where oid = a.attcollation and a.attcollation <> 0), '-')
		|| ' options=' || coalesce(array_to_string(a.attoptions, ','), '-')
		|| ' acl=' || coalesce((
			select string_agg(x.item, ' ' order by x.item) from (
				select coalesce(g.rolname, 'PUBLIC') || '=' || e.privilege_type || case when e.is_grantable then '*' else '' end
					|| '/' || pg_get_userbyid(e.grantor) as item
				from aclexplode(a.attacl) e left join pg_roles g on g.oid = e.grantee) x), '-')
	 from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
	 left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
	 where ${SYSTEM} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and a.attnum > 0 and not a.attisdropped`,
	`select 'constraint ' || n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || k.contype::text || ' ' || pg_get_constraintdef(k.oid)
		|| ' deferrable=' || k.condeferrable || ' deferred=' || k.condeferred || ' validated=' || k.convalidated
	 from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
	 where ${SYSTEM} and k.contype <> 't'`,
	`select 'constraint ' || n.nspname || '.' || t.typname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
	 from pg_constraint k join pg_type t on t.oid = k.contypid join pg_namespace n on n.oid = t.typnamespace where ${SYSTEM}`,
	`select 'index ' || pg_get_indexdef(i.indexrelid) || ' primary=' || i.indisprimary || ' unique=' || i.indisunique
		|| ' valid=' || i.indisvalid || ' clustered=' || i.indisclustered
	 from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where ${SYSTEM}`,
	`select 'sequence ' || n.nspname || '.' || c.relname || ' type=' || format_type(s.seqtypid, null) || ' start=' || s.seqstart
		|| ' increment=' || s.seqincrement || ' min=' || s.seqmin || ' max=' || s.seqmax || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle
		|| ' owned_by=' || coalesce((select dc.relname || '.' || da.attname from pg_depend d
			join pg_class dc on dc.oid = d.refobjid join pg_attribute da on da.attrelid = d.refobjid and da.attnum = d.refobjsubid
			where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')), '-')
	 from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace where ${SYSTEM}`,
	`select 'function ' || p.oid::regprocedure::text || ' kind=' || p.prokind::text || ' owner=' || pg_get_userbyid(p.proowner)
		|| ' acl=' || ${acl('p.proacl', "'f'", 'p.proowner')} || E'\\n' || pg_get_functiondef(p.oid)
	 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${SYSTEM} and p.prokind in ('f', 'p', 'w')`,
	`select 'aggregate ' || p.oid::regprocedure::text || ' owner=' || pg_get_userbyid(p.proowner)
	 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${SYSTEM} and p.prokind = 'a'`,
	`select 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text
	 from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
	 where ${SYSTEM} and not t.tgisinternal`,
	`select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || cmd
		|| ' to=' || array_to_string(array(select unnest(roles) order by 1), ',')
		|| ' using=' || coalesce(qual, '-') || ' check=' || coalesce(with_check, '-')
	 from pg_policies`,
	`select 'rule ' || schemaname || '.' || tablename || ' ' || rulename || ' ' || definition from pg_rules where schemaname not in ('pg_catalog', 'information_schema')`,
	`select 'view ' || schemaname || '.' || viewname || ' ' || definition from pg_views where schemaname not in ('pg_catalog', 'information_schema')`,
	`select 'default_acl ' || pg_get_userbyid(d.defaclrole) || ' ' || coalesce(n.nspname, '*') || ' ' || d.defaclobjtype::text || ' '
		|| array_to_string(array(select unnest(d.defaclacl)::text order by 1), ' ')
	 from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
	`select 'event_trigger ' || evtname || ' ' || evtevent::text || ' ' || evtfoid::regproc::text from pg_event_trigger`,
	`select 'publication ' || pubname || ' all=' || puballtables || ' ' || coalesce((select string_agg(schemaname || '.' || tablename, ',' order by 1, 2)
		from pg_publication_tables t where t.pubname = p.pubname), '') from pg_publication p`
];

/** The fingerprint of the database `client` is connected to. */
export async function schemaFingerprint(client: pg.ClientBase): Promise<string> {
	const lines: string[] = [];
	for (const query of QUERIES) {
		const { rows } = await client.query<Record<string, string>>(query);
		for (const row of rows) lines.push(Object.values(row)[0]!);
	}
	return lines.sort().join('\n') + '\n';
}

/** Applies the migrations of `supabaseDir` to a fresh embedded PostgreSQL and fingerprints it. */
export async function fingerprintOfMigrations(supabaseDir: string): Promise<string> {
	const dataDir = await mkdtemp(join(tmpdir(), 'buurtbord-fingerprint-'));
	const postgres = await startEmbeddedPostgres(dataDir, 'fingerprint');
	try {
		await migrate(postgres.databaseUrl, { supabaseDir, seed: false });
		const client = new pg.Client({ connectionString: postgres.databaseUrl });
		await client.connect();
		try {
			return await schemaFingerprint(client);
		} finally {
			await client.end();
		}
	} finally {
		await postgres.stop();
		await rm(dataDir, { recursive: true, force: true });
	}
}

/** A copy of `supabase/` (migrations and config) as it is at git `ref`. */
async function supabaseDirAt(ref: string): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'buurtbord-supabase-'));
	await mkdir(join(dir, 'migrations'));
	const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	for (const path of git('ls-tree', '--name-only', `${ref}:supabase/migrations`).split('\n').filter(Boolean)) {
		await writeFile(join(dir, 'migrations', path), git('show', `${ref}:supabase/migrations/${path}`));
	}
	await writeFile(join(dir, 'config.toml'), git('show', `${ref}:supabase/config.toml`));
	return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const compareAt = process.argv.indexOf('--compare');
	const current = await fingerprintOfMigrations(resolve('supabase'));
	if (compareAt < 0) {
		process.stdout.write(current);
		process.exit(0);
	}
	const ref = process.argv[compareAt + 1] ?? 'main';
	const other = await fingerprintOfMigrations(await supabaseDirAt(ref));
	const out = await mkdtemp(join(tmpdir(), 'buurtbord-fingerprints-'));
	await writeFile(join(out, `${ref.replaceAll('/', '_')}.txt`), other);
	await writeFile(join(out, 'working-tree.txt'), current);
	let diff = '';
	try {
		execFileSync('diff', ['-u', `${ref.replaceAll('/', '_')}.txt`, 'working-tree.txt'], { cwd: out, encoding: 'utf8' });
	} catch (error) {
		diff = (error as { stdout?: string }).stdout ?? String(error);
	}
	console.log(`Fingerprints (${current.split('\n').length - 1} lines) in ${out}`);
	if (diff) {
		console.log(diff);
		console.log(`The schema differs from the one the migrations at ${ref} make.`);
		process.exit(1);
	}
	console.log(`Identical: the migrations in supabase/ make the same schema as those at ${ref}.`);
	process.exit(0);
}
