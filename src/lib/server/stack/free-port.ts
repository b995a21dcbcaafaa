import { createServer } from 'node:net';

/** Asks the OS for a free loopback port, so that two copies of the stack can run side by side. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.unref();
		probe.on('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => {
				if (address && typeof address === 'object') resolve(address.port);
				else reject(new Error('Could not determine a free port'));
			});
		});
	});
}
