import { addProduct } from '../../emulators/bitrix24/index.ts';
import type { DemoPlatforms } from '../platforms/start-platforms.ts';

/** The shop's CRM catalog in the emulated portal (journey 1 orders from it in the bot). */
export const demoProducts = [
	{ NAME: 'Да Хун Пао, 100 г', PRICE: 2450 },
	{ NAME: 'Те Гуань Инь, 100 г', PRICE: 1390 },
	{ NAME: 'Шу Пуэр 2015, блин 357 г', PRICE: 1990 },
	{ NAME: 'Габа Алишань, 50 г', PRICE: 990 },
	{ NAME: 'Чайник из исинской глины', PRICE: 5600 },
	{ NAME: 'Гайвань фарфоровая', PRICE: 1200 },
] as const;

/**
 * Puts the catalog into this run's portal, as the shop's products would be there already: the
 * emulator starts empty each run, and the connector reads the catalog live (`crm.product.list`), so
 * nothing of an earlier run's ids is kept.
 */
export function seedDemoCatalog(platforms: DemoPlatforms): number {
	const { state } = platforms.bitrix24.portal();
	for (const product of demoProducts) addProduct(state, { ...product, ACTIVE: 'Y' });
	return demoProducts.length;
}
