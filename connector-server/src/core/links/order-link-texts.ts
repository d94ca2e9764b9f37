import type { EventChannel } from '@nitka/shared';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';

/**
 * What the bot says about "is this your order?", and the timeline notes it leaves. Russian (the
 * shops' customers'); English when the tenant's settings say `"language": "en"`. Nothing here
 * names an order's status, items, sums or people: before a join, the chat learns nothing it did
 * not type itself.
 */
export type Language = 'ru' | 'en';

const TenantSettingsSchema = z.looseObject({ language: z.enum(['ru', 'en']).optional().catch(undefined) });

export async function tenantLanguage(db: Db, tenantId: string): Promise<Language> {
	const row = await db.selectFrom('tenants').select('settings').where('id', '=', tenantId).executeTakeFirst();
	if (!row) return 'ru';
	let json: unknown;
	try {
		json = JSON.parse(row.settings);
	} catch {
		return 'ru';
	}
	const parsed = TenantSettingsSchema.safeParse(json);
	return parsed.success && parsed.data.language === 'en' ? 'en' : 'ru';
}

const channelNames: Partial<Record<EventChannel, string>> = { telegram: 'Telegram', vk: 'VK', max: 'MAX' };
const channelName = (channel: EventChannel) => channelNames[channel] ?? channel;

const ru = {
	offer: (n: string) => `Заказ №${n} — ваш? Свяжем этот чат с заказом, чтобы мы видели его историю.`,
	yes: 'Да, это мой',
	no: 'Нет',
	review: (n: string) =>
		`Спасибо! Номер заказа сам по себе не подтверждает, что заказ ваш, поэтому магазин проверит заявку и свяжет чат с заказом №${n}. До этого уведомления о заказе сюда приходить не будут.`,
	askContact: (n: string) =>
		`Спасибо! Чтобы связать чат с заказом №${n} сразу, поделитесь номером телефона кнопкой «Поделиться номером» ниже: если он совпадёт с номером в заказе, чат будет связан. Иначе заявку проверит магазин.`,
	shareButton: 'Поделиться номером',
	mismatch:
		'Этот номер не совпадает с номером в заказе. Заявку проверит магазин; до этого уведомления о заказе сюда приходить не будут.',
	joined: 'Готово: чат связан с заказом.',
	reviewNote: (channel: EventChannel, n: string) =>
		`Чат ${channelName(channel)} назвал заказ №${n} и ответил «Да, это мой». Номер заказа — не доказательство: открыта проверка объединения; пока магазин её не одобрит, чат с заказом не связан.`,
	contactNote: (channel: EventChannel, n: string) =>
		`Чат ${channelName(channel)} связан с заказом №${n}: покупатель поделился своим контактом, и телефон совпал с телефоном заказа.`,
	mismatchNote: (channel: EventChannel, n: string) =>
		`Чат ${channelName(channel)} поделился контактом для заказа №${n}, но телефон не совпал с телефоном заказа. Решение — за проверкой объединения.`,
};

const en: typeof ru = {
	offer: (n) => `Is order #${n} yours? We'll link this chat to the order so we can see its history.`,
	yes: 'Yes, it’s mine',
	no: 'No',
	review: (n) =>
		`Thank you! An order number alone does not show the order is yours, so the shop will check your request and link this chat to order #${n}. Until then, no updates about the order come here.`,
	askContact: (n) =>
		`Thank you! To link this chat to order #${n} right away, share your phone number with the “Share my number” button below: if it matches the number on the order, the chat is linked. Otherwise the shop will check your request.`,
	shareButton: 'Share my number',
	mismatch:
		'This number does not match the one on the order. The shop will check your request; until then, no updates about the order come here.',
	joined: 'Done: this chat is linked to the order.',
	reviewNote: (channel, n) =>
		`A ${channelName(channel)} chat named order #${n} and answered “Yes, it’s mine”. An order number is not proof: a merge review was opened; until the shop approves it, the chat is not linked to the order.`,
	contactNote: (channel, n) =>
		`A ${channelName(channel)} chat was linked to order #${n}: the buyer shared their own contact and its phone matched the order’s.`,
	mismatchNote: (channel, n) =>
		`A ${channelName(channel)} chat shared a contact for order #${n}, but its phone did not match the order’s. The merge review decides.`,
};

export const orderLinkTexts: Record<Language, typeof ru> = { ru, en };
