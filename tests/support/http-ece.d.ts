// http_ece (RFC 8188) has no types; tests use it to decrypt web push as a device would.
declare module 'http_ece' {
	import type { ECDH } from 'node:crypto';
	const ece: { decrypt(buffer: Buffer, params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string }): Buffer };
	export default ece;
}
