import type { Clock } from '../kit/index.ts';
import {
	createRandom,
	type FakeRandom,
	fakeAddress,
	fakeGoodsName,
	fakePerson,
	fakeSubstitutePhone,
} from '../marketplace-common/fake-data.ts';
import type { OzonPushSender } from './push-sender.ts';
import type { OzonState } from './state.ts';
import { canMove, happyPath, type OzonScheme, type OzonStatus } from './statuses.ts';
import type { OzonCustomer, OzonLegalInfo, OzonPosting, OzonProduct } from './types.ts';

export interface OzonProductInput {
	sku?: number;
	offer_id?: string;
	name?: string;
	quantity?: number;
	price?: number | string;
}

export interface CreatePostingInput {
	scheme?: OzonScheme;
	products?: OzonProductInput[];
	status?: OzonStatus;
	inProcessAt?: number | string;
	/** rFBS only; generated when omitted. Ignored for FBS/FBO, where Ozon gives the seller no buyer. */
	customer?: Partial<Omit<OzonCustomer, 'address'>> & { address?: Partial<OzonCustomer['address']> };
	legal?: OzonLegalInfo;
	warehouseId?: number;
	/** Send TYPE_NEW_POSTING (FBS/rFBS only); default true. */
	notify?: boolean;
}

export interface GenerateInput {
	since: number | string;
	until: number | string;
	schemes?: readonly OzonScheme[];
	seed?: number;
}

const at = (value: number | string) => (typeof value === 'number' ? value : Date.parse(value));

/** The seller's side of Ozon: buyers place postings, Ozon and the seller move them through statuses. */
export class OzonSeller {
	#orderSeq = 24_219_509;
	#customerSeq = 70_000_001;
	readonly #random: FakeRandom;

	constructor(
		private readonly state: OzonState,
		private readonly push: OzonPushSender,
		private readonly clock: Clock,
		private readonly sellerId: number,
	) {
		this.#random = createRandom(7);
	}

	createPosting(input: CreatePostingInput = {}): OzonPosting {
		const posting = this.#build(input, this.#random);
		this.state.add(posting);
		if ((input.notify ?? true) && posting.scheme !== 'FBO') {
			void this.push.send({
				message_type: 'TYPE_NEW_POSTING',
				posting_number: posting.posting_number,
				products: posting.products.map((p) => ({ sku: p.sku, quantity: p.quantity })),
				in_process_at: new Date(posting.inProcessAt).toISOString(),
				warehouse_id: posting.warehouseId,
				seller_id: this.sellerId,
			});
		}
		return posting;
	}

	/** Moves a posting to `to` if Ozon allows that transition, and pushes the change. */
	move(
		postingNumber: string,
		to: OzonStatus,
		reason = { id: 402, message: 'Покупатель отменил заказ' },
	): OzonPosting {
		const posting = this.state.get(postingNumber);
		if (!posting) throw new Error(`no posting ${postingNumber}`);
		const from = posting.status;
		if (!canMove(posting.scheme, from, to)) {
			throw new Error(`${posting.scheme} posting cannot move ${from} → ${to}`);
		}
		const now = this.clock.now();
		posting.status = to;
		posting.statusChangedAt = now;
		if (to === 'delivering' || to === 'sent_by_seller') posting.deliveringDate = now;
		if (to === 'cancelled') {
			posting.cancellation = {
				reasonId: reason.id,
				reason: reason.message,
				initiator: 'Клиент',
				oldState: from,
			};
		}
		if (posting.scheme === 'FBO') return posting;
		const common = {
			posting_number: posting.posting_number,
			changed_state_date: new Date(now).toISOString(),
			warehouse_id: posting.warehouseId,
			seller_id: this.sellerId,
		};
		void this.push.send(
			to === 'cancelled'
				? {
						message_type: 'TYPE_POSTING_CANCELLED',
						...common,
						products: posting.products.map((p) => ({ sku: p.sku, quantity: p.quantity })),
						old_state: from,
						new_state: to,
						reason,
					}
				: { message_type: 'TYPE_STATE_CHANGED', ...common, new_state: to },
		);
		return posting;
	}

	/** Walks a posting along its scheme's delivery path to `delivered`. */
	deliver(postingNumber: string): OzonPosting {
		const posting = this.state.get(postingNumber);
		if (!posting) throw new Error(`no posting ${postingNumber}`);
		const path = happyPath(posting.scheme);
		for (const status of path.slice(path.indexOf(posting.status) + 1)) this.move(postingNumber, status);
		return posting;
	}

	/** Creates `count` postings spread evenly over [since, until], without pushes: the benchmark backfill. */
	generate(count: number, input: GenerateInput): OzonPosting[] {
		const random = createRandom(input.seed ?? 42);
		const schemes = input.schemes ?? ['FBS', 'rFBS', 'FBO'];
		const since = at(input.since);
		const step = count > 1 ? (at(input.until) - since) / (count - 1) : 0;
		const made: OzonPosting[] = [];
		for (let i = 0; i < count; i++) {
			const scheme = schemes[i % schemes.length]!;
			const path = happyPath(scheme);
			const posting = this.#build(
				{ scheme, status: random.pick(path), inProcessAt: Math.round(since + i * step) },
				random,
			);
			this.state.add(posting);
			made.push(posting);
		}
		return made;
	}

	#build(input: CreatePostingInput, random: FakeRandom): OzonPosting {
		const scheme = input.scheme ?? 'FBS';
		const inProcessAt = input.inProcessAt === undefined ? this.clock.now() : at(input.inProcessAt);
		const orderNo = this.#orderSeq++;
		const order_number = `${orderNo}-${String(random.int(1, 9999)).padStart(4, '0')}`;
		const products = (input.products ?? [{}]).map((p) => this.#product(p, random));
		const address = fakeAddress(random);
		const seller = scheme === 'rFBS';
		return {
			posting_number: `${order_number}-1`,
			order_id: orderNo * 10 + 7,
			order_number,
			scheme,
			status: input.status ?? 'awaiting_packaging',
			substatus: '',
			createdAt: inProcessAt,
			inProcessAt,
			shipmentDate: inProcessAt + 86_400_000,
			deliveringDate: null,
			statusChangedAt: inProcessAt,
			warehouseId: input.warehouseId ?? 18_850_503_335_000,
			warehouseName: scheme === 'FBO' ? 'Хоругвино' : 'Склад продавца',
			deliveryMethodId: seller ? 1_020_000_000_000 : 18_850_503_335_001,
			deliveryMethodName: seller ? 'Доставка продавцом' : 'Ozon Логистика самостоятельно, Москва',
			tplProviderId: seller ? 0 : 24,
			tplProvider: seller ? '' : 'Ozon Логистика',
			trackingNumber: '',
			products,
			customer: seller ? this.#customer(input, random, address) : null,
			legal: input.legal ?? null,
			region: address.region,
			city: address.city,
			paymentType: 'Карты оплаты',
			cancellation: null,
		};
	}

	#product(p: OzonProductInput, random: FakeRandom): OzonProduct {
		const price = p.price ?? random.int(100, 5000);
		return {
			sku: p.sku ?? random.int(100_000_000, 999_999_999),
			offer_id: p.offer_id ?? `SKU-${random.int(1, 9999)}`,
			name: p.name ?? fakeGoodsName(random),
			quantity: p.quantity ?? 1,
			price: typeof price === 'number' ? price.toFixed(6) : price,
			currency_code: 'RUB',
		};
	}

	#customer(
		input: CreatePostingInput,
		random: FakeRandom,
		address: ReturnType<typeof fakeAddress>,
	): OzonCustomer {
		const person = fakePerson(random);
		const given = input.customer ?? {};
		return {
			customer_id: given.customer_id ?? this.#customerSeq++,
			name: given.name ?? `${person.firstName} ${person.lastName}`,
			substitutePhone: given.substitutePhone ?? fakeSubstitutePhone(random),
			address: {
				address_tail: `${address.street}, д. ${address.house}`,
				city: address.city,
				country: 'Россия',
				district: '',
				region: address.region,
				zip_code: address.zip,
				latitude: address.latitude,
				longitude: address.longitude,
				comment: '',
				pvz_code: '',
				provider_pvz_code: '',
				...given.address,
			},
		};
	}
}
