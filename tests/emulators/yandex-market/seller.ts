import type { Clock } from '../kit/index.ts';
import {
	createRandom,
	type FakeAddress,
	type FakePerson,
	type FakeRandom,
	fakeAddress,
	fakeGoodsName,
	fakePerson,
	fakeSubstitutePhone,
} from '../marketplace-common/fake-data.ts';
import type { YmNotificationSender } from './notification-sender.ts';
import type { YmState } from './state.ts';
import { canMove, defaultSubstatus, type YmProgram, type YmStatus } from './statuses.ts';
import type { YmBuyer, YmItem, YmOrder } from './types.ts';

export interface YmCreateOrderInput {
	campaignId?: number;
	items?: Partial<Omit<YmItem, 'id'>>[];
	status?: YmStatus;
	substatus?: string;
	createdAt?: number | string;
	buyer?: Partial<YmBuyer>;
	deliveryType?: 'DELIVERY' | 'PICKUP';
	fake?: boolean;
	/** Send ORDER_CREATED; default true. */
	notify?: boolean;
}

const at = (value: number | string) => (typeof value === 'number' ? value : Date.parse(value));

/** The seller's side of Yandex Market: orders are placed in a campaign and moved through Market's statuses. */
export class YmSeller {
	#orderSeq = 51_000_000;
	#itemSeq = 1;
	readonly #random = createRandom(23);

	constructor(
		private readonly state: YmState,
		private readonly notifications: YmNotificationSender,
		private readonly clock: Clock,
		private readonly defaultCampaignId: number,
	) {}

	createOrder(input: YmCreateOrderInput = {}): YmOrder {
		const order = this.#build(input, this.#random);
		this.state.add(order);
		if (input.notify ?? true) {
			void this.notifications.send({
				notificationType: 'ORDER_CREATED',
				orderId: order.orderId,
				campaignId: order.campaignId,
				items: order.items.map((i) => ({ offerId: i.offerId, count: i.count })),
				createdAt: new Date(order.creationDate).toISOString(),
			});
		}
		return order;
	}

	/** Moves an order (and its substatus) if Market makes that transition; notifies ORDER_STATUS_UPDATED. */
	move(orderId: number, status: YmStatus, substatus = defaultSubstatus(status)): YmOrder {
		const order = this.state.orders.get(orderId);
		if (!order) throw new Error(`no order ${orderId}`);
		if (!canMove(order.status, order.substatus, status, substatus)) {
			throw new Error(`order cannot move ${order.status}/${order.substatus} → ${status}/${substatus}`);
		}
		const now = this.clock.now();
		order.status = status;
		order.substatus = substatus;
		order.updateDate = now;
		const updatedAt = new Date(now).toISOString();
		const common = { orderId, campaignId: order.campaignId };
		void this.notifications.send({
			notificationType: 'ORDER_STATUS_UPDATED',
			...common,
			status,
			substatus,
			updatedAt,
		});
		if (status === 'CANCELLED') {
			void this.notifications.send({
				notificationType: 'ORDER_CANCELLED',
				...common,
				items: order.items.map((i) => ({ offerId: i.offerId, count: i.count })),
				cancelledAt: updatedAt,
			});
		}
		return order;
	}

	/** Walks an order from PROCESSING/STARTED to DELIVERED. */
	deliver(orderId: number): YmOrder {
		const steps: [YmStatus, string][] = [
			['PROCESSING', 'READY_TO_SHIP'],
			['PROCESSING', 'SHIPPED'],
			['DELIVERY', 'DELIVERY_SERVICE_RECEIVED'],
			['DELIVERED', 'DELIVERY_SERVICE_DELIVERED'],
		];
		const order = this.state.orders.get(orderId);
		if (!order) throw new Error(`no order ${orderId}`);
		for (const [status, sub] of steps) {
			if (canMove(order.status, order.substatus, status, sub)) this.move(orderId, status, sub);
		}
		return order;
	}

	/** Creates `count` orders over [since, until] without notifications: the benchmark backfill. */
	generate(
		count: number,
		input: { since: number | string; until: number | string; campaignIds?: number[]; seed?: number },
	) {
		const random = createRandom(input.seed ?? 42);
		const campaigns = input.campaignIds ?? [this.defaultCampaignId];
		const since = at(input.since);
		const step = count > 1 ? (at(input.until) - since) / (count - 1) : 0;
		const made: YmOrder[] = [];
		for (let i = 0; i < count; i++) {
			const order = this.#build(
				{ campaignId: campaigns[i % campaigns.length]!, createdAt: Math.round(since + i * step) },
				random,
			);
			this.state.add(order);
			made.push(order);
		}
		return made;
	}

	/** A PERSON by default; a BUSINESS buyer gets a legal entity (INN, KPP, name, address) unless given one. */
	#buyer(
		input: Partial<YmBuyer> | undefined,
		random: FakeRandom,
		person: FakePerson,
		place: FakeAddress,
	): YmBuyer {
		const buyer: YmBuyer = {
			type: 'PERSON',
			id: `buyer-${random.int(100_000, 999_999)}`,
			lastName: person.lastName,
			firstName: person.firstName,
			middleName: person.middleName,
			phone: fakeSubstitutePhone(random),
			trusted: false,
			...input,
		};
		if (buyer.type === 'BUSINESS' && !buyer.business) {
			buyer.business = {
				inn: `77${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
				kpp: `77${String(random.int(0, 9_999_999)).padStart(7, '0')}`,
				organizationName: `ООО «${fakeGoodsName(random)}»`,
				organizationJurAddress: `${place.zip}, ${place.city}, ${place.street}, ${place.house}`,
			};
		}
		return buyer;
	}

	#build(input: YmCreateOrderInput, random: FakeRandom): YmOrder {
		const campaignId = input.campaignId ?? this.defaultCampaignId;
		const campaign = this.state.campaigns.get(campaignId);
		if (!campaign) throw new Error(`no campaign ${campaignId}`);
		const program: YmProgram = campaign.programType;
		const createdAt = input.createdAt === undefined ? this.clock.now() : at(input.createdAt);
		const person = fakePerson(random);
		const place = fakeAddress(random);
		const status = input.status ?? 'PROCESSING';
		return {
			orderId: this.#orderSeq++,
			businessId: campaign.businessId,
			campaignId,
			programType: program,
			status,
			substatus: input.substatus ?? defaultSubstatus(status),
			creationDate: createdAt,
			updateDate: createdAt,
			paymentType: 'PREPAID',
			paymentMethod: 'YANDEX',
			fake: input.fake ?? false,
			items: (input.items ?? [{}]).map((i) => ({
				id: this.#itemSeq++,
				offerId: i.offerId ?? `offer-${random.int(1, 9999)}`,
				offerName: i.offerName ?? fakeGoodsName(random),
				count: i.count ?? 1,
				price: i.price ?? random.int(200, 5000),
			})),
			deliveryType: input.deliveryType ?? 'DELIVERY',
			deliveryFromDate: createdAt + 2 * 86_400_000,
			buyer: this.#buyer(input.buyer, random, person, place),
			address: {
				country: 'Россия',
				city: place.city,
				street: place.street,
				house: place.house,
				postcode: place.zip,
			},
			notes: '',
			cancelRequested: false,
		};
	}
}
