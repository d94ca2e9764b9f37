import type { Clock } from '../kit/index.ts';
import {
	createRandom,
	type FakeRandom,
	fakeAddress,
	fakeGoodsName,
	fakePerson,
	fakeSubstitutePhone,
} from '../marketplace-common/fake-data.ts';
import type { WbState } from './state.ts';
import { canMoveSupplier, canMoveWb, type WbStatus, type WbSupplierStatus } from './statuses.ts';
import type { WbDbsClient, WbOrder } from './types.ts';

export interface WbItemInput {
	nmId?: number;
	article?: string;
	name?: string;
	/** Rubles; stored ×100 as WB sends it. */
	price?: number;
	/** Each unit becomes its own assembly task. */
	quantity?: number;
}

export interface WbCreateOrderInput {
	/** FBS: WB delivers, no buyer data. DBS: the seller delivers, buyer name and substitute phone given. */
	type?: 'FBS' | 'DBS';
	items?: WbItemInput[];
	createdAt?: number | string;
	comment?: string;
	client?: Partial<WbDbsClient>;
	b2b?: { inn: string; kpp: string; orgName: string };
}

const at = (value: number | string) => (typeof value === 'number' ? value : Date.parse(value));

/** The seller's side of Wildberries: carts become assembly tasks, which move through supplier and WB statuses. */
export class WbSeller {
	#taskSeq = 1_234_567_890;
	#cartSeq = 1;
	readonly #random = createRandom(11);

	constructor(
		private readonly state: WbState,
		private readonly clock: Clock,
	) {}

	/** Places one cart; returns its assembly tasks (one per unit, sharing `orderUid`). */
	createOrder(input: WbCreateOrderInput = {}): WbOrder[] {
		const tasks = this.#build(input, this.#random);
		for (const task of tasks) this.state.add(task);
		return tasks;
	}

	/** Moves either status axis, refusing transitions WB does not make. */
	setStatus(id: number, to: { supplierStatus?: WbSupplierStatus; wbStatus?: WbStatus }): WbOrder {
		const order = this.state.orders.get(id);
		if (!order) throw new Error(`no assembly task ${id}`);
		if (to.supplierStatus && !canMoveSupplier(order.deliveryType, order.supplierStatus, to.supplierStatus)) {
			throw new Error(
				`${order.deliveryType} supplierStatus cannot move ${order.supplierStatus} → ${to.supplierStatus}`,
			);
		}
		if (to.wbStatus && !canMoveWb(order.deliveryType, order.wbStatus, to.wbStatus)) {
			throw new Error(`${order.deliveryType} wbStatus cannot move ${order.wbStatus} → ${to.wbStatus}`);
		}
		if (to.supplierStatus) order.supplierStatus = to.supplierStatus;
		if (to.wbStatus) order.wbStatus = to.wbStatus;
		order.statusChangedAt = this.clock.now();
		return order;
	}

	/** FBS: seller confirms (adds to a supply), hands the supply over, WB sorts and sells. */
	fulfil(id: number): WbOrder {
		const order = this.state.orders.get(id);
		if (!order) throw new Error(`no assembly task ${id}`);
		if (order.deliveryType === 'fbs') {
			this.setStatus(id, { supplierStatus: 'confirm' });
			order.supplyId = `WB-GI-${1_000_000 + (id % 1_000_000)}`;
			this.setStatus(id, { supplierStatus: 'complete', wbStatus: 'sorted' });
			return this.setStatus(id, { wbStatus: 'sold' });
		}
		this.setStatus(id, { supplierStatus: 'confirm' });
		this.setStatus(id, { supplierStatus: 'deliver' });
		return this.setStatus(id, { supplierStatus: 'receive', wbStatus: 'sold' });
	}

	/** Creates `count` single-unit orders spread over [since, until]: the benchmark backfill. */
	generate(
		count: number,
		input: { since: number | string; until: number | string; types?: ('FBS' | 'DBS')[]; seed?: number },
	): WbOrder[] {
		const random = createRandom(input.seed ?? 42);
		const types = input.types ?? ['FBS', 'DBS'];
		const since = at(input.since);
		const step = count > 1 ? (at(input.until) - since) / (count - 1) : 0;
		const made: WbOrder[] = [];
		for (let i = 0; i < count; i++) {
			const [task] = this.#build(
				{ type: types[i % types.length]!, createdAt: Math.round(since + i * step) },
				random,
			);
			this.state.add(task!);
			made.push(task!);
		}
		return made;
	}

	#build(input: WbCreateOrderInput, random: FakeRandom): WbOrder[] {
		const type = input.type === 'DBS' ? 'dbs' : 'fbs';
		const createdAt = input.createdAt === undefined ? this.clock.now() : at(input.createdAt);
		const cart = this.#cartSeq++;
		const orderUid = `${random.int(10_000_000, 99_999_999)}_${cart}${random.int(100_000, 999_999)}`;
		const place = fakeAddress(random);
		const person = fakePerson(random);
		const client: WbDbsClient | null =
			type === 'dbs'
				? {
						firstName: person.firstName,
						fullName: `${person.lastName} ${person.firstName} ${person.middleName}`,
						replacementPhone: fakeSubstitutePhone(random),
						phone: fakeSubstitutePhone(random),
						phoneCode: random.int(1000, 9999),
						additionalPhoneCodes: [],
						...input.client,
					}
				: null;
		const units = (input.items ?? [{}]).flatMap((item) =>
			Array.from({ length: item.quantity ?? 1 }, () => item),
		);
		return units.map((item) => {
			const id = this.#taskSeq++;
			const price = Math.round((item.price ?? random.int(300, 6000)) * 100);
			return {
				id,
				rid: `${random.int(1000, 9999)}${id}.0.0`,
				orderUid,
				groupId: `g-${cart}`,
				deliveryType: type,
				createdAt,
				statusChangedAt: createdAt,
				warehouseId: 658_434,
				officeId: 15,
				offices: ['Москва'],
				nmId: item.nmId ?? random.int(10_000_000, 99_999_999),
				chrtId: random.int(10_000_000, 99_999_999),
				article: item.article ?? `art-${random.int(1, 9999)}`,
				skus: [String(random.int(2_000_000_000_000, 2_999_999_999_999))],
				price,
				salePrice: Math.round(price * 0.9),
				finalPrice: Math.round(price * 0.85),
				comment: input.comment ?? '',
				address:
					type === 'dbs'
						? {
								fullAddress: `${place.region}, г. ${place.city}, ${place.street}, д. ${place.house}`,
								longitude: place.longitude,
								latitude: place.latitude,
							}
						: null,
				supplyId: '',
				supplierStatus: 'new',
				wbStatus: 'waiting',
				client,
				b2b: input.b2b ?? null,
				subject: item.name ?? fakeGoodsName(random),
				brand: 'Nitka',
				region: place.region,
			};
		});
	}
}
