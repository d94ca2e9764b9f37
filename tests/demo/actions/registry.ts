import { redeemPromo, scanCard } from './counter-desk.ts';
import { askForCard } from './customer-card.ts';
import type { DemoAction } from './define-action.ts';
import { followDeepLink } from './follow-deep-link.ts';
import { advanceOrder, placeOrder } from './marketplace-orders.ts';
import { followParcelInsert } from './parcel-insert.ts';
import { handOver, markReady, orderForPickup } from './pickup.ts';
import { askForPromo, consentToOffers, issuePromo } from './promo.ts';
import { acceptReturn, approveReturn, requestReturn } from './returns.ts';
import { sharePhone } from './share-phone.ts';
import { shopReply } from './shop-reply.ts';
import { writeMessage } from './write-message.ts';

/** Every action the demo page can post to `/api/actions/<name>`. Adding one is a file and a line here. */
export const demoActions = {
	'telegram.write': writeMessage('telegram'),
	'telegram.share-phone': sharePhone,
	'vk.write': writeMessage('vk'),
	'max.write': writeMessage('max'),
	'deep-link.follow': followDeepLink,
	'shop.reply': shopReply,
	'marketplace.place-order': placeOrder,
	'marketplace.advance-order': advanceOrder,
	'marketplace.follow-insert': followParcelInsert,
	'card.ask': askForCard,
	'counter.scan-card': scanCard,
	'promo.ask': askForPromo,
	'promo.consent': consentToOffers,
	'promo.issue': issuePromo,
	'counter.redeem': redeemPromo,
	'pickup.order': orderForPickup,
	'counter.mark-ready': markReady,
	'counter.hand-over': handOver,
	'return.request': requestReturn,
	'return.approve': approveReturn,
	'counter.accept-return': acceptReturn,
} as const satisfies Record<string, DemoAction>;

export type DemoActionName = keyof typeof demoActions;
