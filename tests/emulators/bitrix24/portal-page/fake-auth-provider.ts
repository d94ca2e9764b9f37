import { randomBytes } from 'node:crypto';
import type { FrameAuthGrant, FrameAuthProvider } from './types.ts';

/**
 * Mints random tokens without a REST emulator behind them: enough for the frame handshake and
 * `refreshAuth`, not for REST calls. Every call returns a new pair, as a portal does.
 */
export function createFakeFrameAuthProvider(
	options: { memberId?: string; domain?: string } = {},
): FrameAuthProvider & { readonly issued: readonly FrameAuthGrant[] } {
	const issued: FrameAuthGrant[] = [];
	const memberId = options.memberId ?? randomBytes(16).toString('hex');
	const provider = () => {
		const grant: FrameAuthGrant = {
			access_token: randomBytes(24).toString('hex'),
			refresh_token: randomBytes(24).toString('hex'),
			expires_in: 3600,
			member_id: memberId,
			scope: 'crm,placement,user',
			status: 'L',
			...(options.domain ? { domain: options.domain } : {}),
		};
		issued.push(grant);
		return grant;
	};
	return Object.assign(provider, { issued });
}
