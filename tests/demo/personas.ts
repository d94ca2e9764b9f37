import { z } from 'zod';

/** A demo customer: one person with an account on each messenger, unknown to Nitka until they write. */
export interface Persona {
	name: { ru: string; en: string };
	telegram: { id: number; first_name: string; last_name: string };
	vk: { id: number; first_name: string; last_name: string };
	max: { user_id: number; first_name: string; last_name: string };
	/** What they would share in Telegram (a demo number, not a real person's). */
	phone: string;
	/** Their buyer ids on the marketplaces that name the buyer (Ozon rFBS, Yandex Market DBS). */
	buyer: { ozon: number; yandexMarket: string };
}

// Fixed ids: a second `npm start` on the same data finds the same customers again.
export const personas = {
	anna: {
		name: { ru: 'Анна Смирнова', en: 'Anna Smirnova' },
		telegram: { id: 5_550_001, first_name: 'Анна', last_name: 'Смирнова' },
		vk: { id: 5_560_001, first_name: 'Анна', last_name: 'Смирнова' },
		max: { user_id: 5_570_001, first_name: 'Анна', last_name: 'Смирнова' },
		phone: '+7 900 555-01-01',
		buyer: { ozon: 91_000_001, yandexMarket: 'demo-buyer-anna' },
	},
	boris: {
		name: { ru: 'Борис Иванов', en: 'Boris Ivanov' },
		telegram: { id: 5_550_002, first_name: 'Борис', last_name: 'Иванов' },
		vk: { id: 5_560_002, first_name: 'Борис', last_name: 'Иванов' },
		max: { user_id: 5_570_002, first_name: 'Борис', last_name: 'Иванов' },
		phone: '+7 900 555-02-02',
		buyer: { ozon: 91_000_002, yandexMarket: 'demo-buyer-boris' },
	},
	vera: {
		name: { ru: 'Вера Кузнецова', en: 'Vera Kuznetsova' },
		telegram: { id: 5_550_003, first_name: 'Вера', last_name: 'Кузнецова' },
		vk: { id: 5_560_003, first_name: 'Вера', last_name: 'Кузнецова' },
		max: { user_id: 5_570_003, first_name: 'Вера', last_name: 'Кузнецова' },
		phone: '+7 900 555-03-03',
		buyer: { ozon: 91_000_003, yandexMarket: 'demo-buyer-vera' },
	},
} as const satisfies Record<string, Persona>;

export type PersonaId = keyof typeof personas;
export const PersonaIdSchema = z.enum(Object.keys(personas) as [PersonaId, ...PersonaId[]]);

/** The messengers a persona can write from, with the identifier type Nitka files each under. */
export const messengers = ['telegram', 'vk', 'max'] as const;
export type Messenger = (typeof messengers)[number];
export const MessengerSchema = z.enum(messengers);

export function accountId(persona: Persona, messenger: Messenger): string {
	if (messenger === 'max') return String(persona.max.user_id);
	return String(persona[messenger].id);
}
