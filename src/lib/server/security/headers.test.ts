import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { applySecurityHeaders, FILE_CSP, securityHeaders } from './headers.ts';

describe('securityHeaders', () => {
	it('sets the usual headers, with a strict policy for files', () => {
		const headers = securityHeaders('http://localhost:3000');
		expect(headers).toMatchObject({
			'X-Content-Type-Options': 'nosniff',
			'Referrer-Policy': 'strict-origin-when-cross-origin',
			'X-Frame-Options': 'DENY',
			'Cross-Origin-Opener-Policy': 'same-origin',
			'Content-Security-Policy': FILE_CSP
		});
		expect(headers['Permissions-Policy']).toContain('camera=()');
		expect(headers['Permissions-Policy']).toContain('microphone=()');
		expect(FILE_CSP).toContain("frame-ancestors 'none'");
		expect(FILE_CSP).toContain("object-src 'none'");
		expect(FILE_CSP).not.toContain('unsafe');
	});

	it('asks browsers to keep to https only where the app is https', () => {
		expect(securityHeaders('https://buurtbord.example')['Strict-Transport-Security']).toBe('max-age=31536000');
		expect(securityHeaders('http://localhost:3000')).not.toHaveProperty('Strict-Transport-Security');
		expect(securityHeaders(undefined)).not.toHaveProperty('Strict-Transport-Security');
	});

	it('gives way to a header the app sets itself', async () => {
		const server = createServer((_req, res) => {
			applySecurityHeaders(res, securityHeaders('https://buurtbord.example'));
			res.setHeader('Referrer-Policy', 'no-referrer');
			res.writeHead(200, { 'content-security-policy': "default-src 'none'" }).end('ok');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
			expect(response.headers.get('referrer-policy')).toBe('no-referrer');
			expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
			expect(response.headers.get('x-frame-options')).toBe('DENY');
			expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});
});
