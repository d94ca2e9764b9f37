import type { IdentifierType } from '@nitka/shared';
import type { Db } from '../../db/database.ts';
import { loyaltyNumberFor } from '../counter/loyalty.ts';
import { resolveCustomer } from '../identity/identity-graph.ts';
import { issueCardAccess } from './card-access.ts';
import { cardPageUrl } from './card-reactor.ts';

export interface HostCard {
	customerId: string;
	/** The card page (`/card/<access>`), valid 30 days. */
	cardUrl: string;
	/** Its QR image: a fresh single-use card token on every fetch. */
	qrUrl: string;
	loyaltyNumber: string;
	/** Epoch milliseconds when the links stop working. */
	expiresAt: number;
}

/**
 * The card of a host's customer (WooCommerce My Account): the Nitka customer holding the host's
 * identifier, created when the host knows them and Nitka does not yet, with their card links and
 * loyalty number. Runs in one transaction.
 */
export async function cardForHostCustomer(
	db: Db,
	deps: { accessKey: Buffer; baseUrl: string },
	input: { tenantId: string; identifier: { type: IdentifierType; value: string }; source: string },
	now: number,
): Promise<HostCard> {
	return await db.transaction().execute(async (tx) => {
		const { customerId } = await resolveCustomer(tx, {
			tenantId: input.tenantId,
			identifiers: [{ ...input.identifier, verified: true }],
			source: input.source,
			at: now,
		});
		const loyaltyNumber = await loyaltyNumberFor(tx, input.tenantId, customerId, now);
		const { access, expiresAt } = issueCardAccess(
			deps.accessKey,
			{ tenantId: input.tenantId, customerId },
			now,
		);
		const cardUrl = cardPageUrl(deps.baseUrl, access);
		return { customerId, cardUrl, qrUrl: `${cardUrl}/qr.svg`, loyaltyNumber, expiresAt };
	});
}
