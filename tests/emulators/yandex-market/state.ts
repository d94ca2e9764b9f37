import type { YmCampaign, YmOrder } from './types.ts';

/** Everything the Yandex Market emulator knows, open to tests. */
export class YmState {
	/** Api-Key (or OAuth token) → the business it belongs to. */
	readonly keys = new Map<string, number>();
	readonly campaigns = new Map<number, YmCampaign>();
	readonly orders = new Map<number, YmOrder>();
	readonly stats = {
		/** 420 answers, by reason (`parallel` or a resource name). */
		limited: new Map<string, number>(),
		/** Calls to the deprecated campaign order endpoints (off on 2027-04-12, research §7.3). */
		deprecatedCalls: new Map<string, number>(),
	};

	count(map: Map<string, number>, key: string): void {
		map.set(key, (map.get(key) ?? 0) + 1);
	}

	add(order: YmOrder): void {
		this.orders.set(order.orderId, order);
	}

	/** Orders ascending by id, the order page tokens walk. */
	sorted(): YmOrder[] {
		return [...this.orders.values()].sort((a, b) => a.orderId - b.orderId);
	}
}
