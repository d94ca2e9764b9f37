import type { WbOrder } from './types.ts';

/** Everything the Wildberries emulator knows, open to tests. */
export class WbState {
	/** Token → seller id; limits are counted per seller and category. */
	readonly tokens = new Map<string, number>();
	readonly orders = new Map<number, WbOrder>();
	readonly stats = {
		/** 429 answers, by category. */
		rateLimited: new Map<string, number>(),
		/** Calls to methods WB marks deprecated, by path. */
		deprecatedCalls: new Map<string, number>(),
	};

	add(order: WbOrder): void {
		this.orders.set(order.id, order);
	}

	count(map: Map<string, number>, key: string): void {
		map.set(key, (map.get(key) ?? 0) + 1);
	}

	get rateLimitedTotal(): number {
		let sum = 0;
		for (const n of this.stats.rateLimited.values()) sum += n;
		return sum;
	}

	/** Orders of one delivery type, ascending by id (the order WB's `next` cursor walks). */
	byType(type: WbOrder['deliveryType']): WbOrder[] {
		return [...this.orders.values()].filter((o) => o.deliveryType === type).sort((a, b) => a.id - b.id);
	}
}
