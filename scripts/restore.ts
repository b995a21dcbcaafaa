/**
 * `npm run restore -- <file>`: replaces the embedded database and its secrets with a backup.
 * The app must be stopped; what is replaced is moved aside, never deleted.
 */
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from '../src/lib/server/config.ts';
import { restoreEmbeddedDatabase } from '../src/lib/server/stack/backup.ts';
import { restoreArguments } from '../src/lib/server/stack/backup-arguments.ts';

try {
	const config = parseConfig(process.env);
	if (config.DATABASE_URL || config.SUPABASE_URL) {
		throw new ConfigError('npm run restore is for the embedded database. With DATABASE_URL or SUPABASE_URL, use pg_restore or your provider’s restore (see README).');
	}
	const { file } = restoreArguments(process.argv.slice(2));
	const report = await restoreEmbeddedDatabase(resolve(config.BUURTBORD_DATA_DIR), resolve(file));
	console.log(`Restored ${file} (database as of WAL ${report.stopLsn}).`);
	if (report.keptAside) console.log(`The data it replaced is kept in ${report.keptAside}; delete it when you no longer need it.`);
	console.log('Start the app again with npm start.');
} catch (error) {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
}
