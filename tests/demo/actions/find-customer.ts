import { type Customer, CustomerSchema } from '@nitka/shared';
import { z } from 'zod';
import type { ConnectorApi } from '../connector/connector-api.ts';

const FoundSchema = z.object({ items: z.array(CustomerSchema) });

/** The customer holding one identifier (a platform account id or a phone), if Nitka knows one. */
export async function findCustomer(
	api: ConnectorApi,
	type: 'telegram' | 'vk' | 'max' | 'phone' | 'ozon_buyer' | 'yandex_market_buyer',
	value: string,
): Promise<Customer | undefined> {
	const query =
		type === 'phone'
			? new URLSearchParams({ phone: value })
			: new URLSearchParams({ identifierType: type, identifier: value });
	const { items } = await api.call('GET', `/customers?${query}`, FoundSchema);
	return items[0];
}
