/**
 * `npm run scale-out`: two instances of the built app on one database behind a small sticky
 * proxy, to try scale-out by hand (open a board in two browsers pinned to different
 * instances). Instance A runs the embedded stack; B uses A's database and Data API as an
 * instance on Supabase would. Ctrl-C stops everything.
 *
 * PORT (default 3000) is the proxy's port; INSTANCES (default 2) how many app instances;
 * BUURTBORD_DATA_DIR keeps the data (default: a temporary folder, removed at the end).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startScaleOut, type ScaleOut } from '../tests/support/scale-out.ts';

const keep = process.env.BUURTBORD_DATA_DIR;
const dataDir = keep ? resolve(keep) : await mkdtemp(join(tmpdir(), 'buurtbord-scale-out-'));
const count = Number(process.env.INSTANCES ?? 2);
if (!Number.isInteger(count) || count < 2 || count > 8) {
	console.error('INSTANCES must be a whole number from 2 to 8');
	process.exit(2);
}

console.log(`Starting ${count} instances (data in ${dataDir}) …`);
let setUp: ScaleOut | undefined;
let stopping = false;
const stop = async (code: number) => {
	if (stopping) return;
	stopping = true;
	console.log('\nStopping …');
	await setUp?.stop().catch(() => undefined);
	if (!keep) await rm(dataDir, { recursive: true, force: true });
	process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
	setUp = await startScaleOut({ dataDir, instances: count, proxyPort: Number(process.env.PORT ?? 3000) });
} catch (error) {
	console.error((error as Error).message);
	await stop(1);
}
const { proxy, instances, inviteCode } = setUp!;
console.log(
	[
		'',
		`  Buurtbord on ${count} instances behind a sticky proxy: ${proxy.url}/`,
		...instances.map((instance, i) => `  instance ${String.fromCharCode(65 + i)}: ${instance.directUrl} (through the proxy: ${proxy.url}/_sticky/${i})`),
		...(inviteCode ? [`  Invite link for the demo neighbourhood: ${proxy.url}/join/${inviteCode}`] : []),
		'  A browser sticks to the instance it first reached (a cookie); /_sticky/<n> moves it.',
		'  Press Ctrl-C to stop.',
		''
	].join('\n')
);
