import { log as logger } from '../log.ts';

/**
 * Keeps a child process (PostgREST, PostgreSQL) running: when it exits without being asked
 * to, it is started again after a pause that grows with each quick failure. A child that
 * stayed up for a while counts as healthy again, so the next crash restarts it quickly.
 */
export interface Running {
	/** Settles when the process has exited, for whatever reason. */
	exited: Promise<unknown>;
	stop(): Promise<void>;
}

export interface SupervisorOptions {
	name: string;
	launch(): Promise<Running>;
	/** Called after a restart succeeded (e.g. to tell others the service is back). */
	onRestarted?(): void;
	log?(message: string): void;
}

const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 10_000;
/** Up this long without exiting: the next exit starts over from the first delay. */
const HEALTHY_AFTER_MS = 30_000;

/** Pause before restart number `attempt` (0-based): 200 ms, 400 ms, 800 ms, … at most 10 s. */
export function restartDelay(attempt: number): number {
	return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
}

export interface Supervisor {
	/** How many times the child was started again after an unexpected exit. */
	readonly restarts: number;
	/** From now on an exit is expected: nothing is restarted (call first thing at shutdown). */
	quiesce(): void;
	stop(): Promise<void>;
}

/** Starts the child once (failing if that fails), then watches and restarts it. */
export async function supervise(options: SupervisorOptions): Promise<Supervisor> {
	const log = options.log ?? ((message: string) => logger.warn({ source: 'supervisor' }, message));
	let current = await options.launch();
	let stopping = false;
	let restarts = 0;
	let attempt = 0;
	let startedAt = Date.now();
	let wake: (() => void) | undefined;

	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});

	const watch = async () => {
		while (!stopping) {
			await current.exited;
			if (stopping) return;
			if (Date.now() - startedAt >= HEALTHY_AFTER_MS) attempt = 0;
			for (;;) {
				const delay = restartDelay(attempt++);
				log(`${options.name} stopped unexpectedly; starting it again in ${delay} ms`);
				await sleep(delay);
				if (stopping) return;
				try {
					current = await options.launch();
					startedAt = Date.now();
					restarts++;
					log(`${options.name} is running again`);
					if (stopping) {
						await current.stop();
						return;
					}
					options.onRestarted?.();
					break;
				} catch (error) {
					log(`${options.name} did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
				}
			}
		}
	};
	const watching = watch();

	return {
		get restarts() {
			return restarts;
		},
		quiesce() {
			stopping = true;
			wake?.();
		},
		async stop() {
			stopping = true;
			wake?.();
			await current.stop();
			await watching;
		}
	};
}
