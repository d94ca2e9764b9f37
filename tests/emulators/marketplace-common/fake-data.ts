/** Deterministic fake buyers and goods, so a 10k-order backfill is the same on every run. */
export interface FakeRandom {
	next(): number;
	int(min: number, max: number): number;
	pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast and good enough for test data. */
export function createRandom(seed = 1): FakeRandom {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (items) => items[Math.floor(next() * items.length)]!,
	};
}

const firstNames = [
	'Анна',
	'Иван',
	'Мария',
	'Пётр',
	'Ольга',
	'Сергей',
	'Елена',
	'Дмитрий',
	'Наталья',
	'Алексей',
];
const lastNames = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков'];
const middleNames = ['Андреевич', 'Сергеевич', 'Ивановна', 'Петровна', 'Олегович', 'Викторовна'];
const cities = [
	{ city: 'Москва', region: 'Москва', zip: '101000' },
	{ city: 'Санкт-Петербург', region: 'Санкт-Петербург', zip: '190000' },
	{ city: 'Казань', region: 'Республика Татарстан', zip: '420000' },
	{ city: 'Екатеринбург', region: 'Свердловская область', zip: '620000' },
	{ city: 'Новосибирск', region: 'Новосибирская область', zip: '630000' },
];
const streets = ['ул. Ленина', 'ул. Пушкина', 'пр. Мира', 'ул. Гагарина', 'Садовая ул.'];
const goods = [
	'Кружка керамическая',
	'Чай чёрный 100 г',
	'Свеча ароматическая',
	'Плед шерстяной',
	'Носки хлопковые',
];

export interface FakePerson {
	firstName: string;
	lastName: string;
	middleName: string;
}

export interface FakeAddress {
	city: string;
	region: string;
	zip: string;
	street: string;
	house: string;
	latitude: number;
	longitude: number;
}

export function fakePerson(random: FakeRandom): FakePerson {
	const female = random.next() < 0.5;
	const last = random.pick(lastNames);
	return {
		firstName: random.pick(firstNames),
		lastName: female ? `${last}а` : last,
		middleName: random.pick(middleNames),
	};
}

export function fakeAddress(random: FakeRandom): FakeAddress {
	const place = random.pick(cities);
	return {
		...place,
		street: random.pick(streets),
		house: String(random.int(1, 120)),
		latitude: 55 + random.next(),
		longitude: 37 + random.next(),
	};
}

export function fakeGoodsName(random: FakeRandom): string {
	return random.pick(goods);
}

/** A substitute ("подменный") number: marketplaces never hand out the buyer's real phone. */
export function fakeSubstitutePhone(random: FakeRandom): string {
	return `+7900${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
}

const latin: Record<string, string> = {
	а: 'a',
	б: 'b',
	в: 'v',
	г: 'g',
	д: 'd',
	е: 'e',
	ё: 'e',
	ж: 'zh',
	з: 'z',
	и: 'i',
	й: 'y',
	к: 'k',
	л: 'l',
	м: 'm',
	н: 'n',
	о: 'o',
	п: 'p',
	р: 'r',
	с: 's',
	т: 't',
	у: 'u',
	ф: 'f',
	х: 'kh',
	ц: 'ts',
	ч: 'ch',
	ш: 'sh',
	щ: 'shch',
	ъ: '',
	ы: 'y',
	ь: '',
	э: 'e',
	ю: 'yu',
	я: 'ya',
};

/** Cyrillic → Latin, as Ozon's `translit` flag returns names and addresses. */
export function transliterate(text: string): string {
	let out = '';
	for (const char of text) {
		const lower = char.toLowerCase();
		const mapped = latin[lower];
		if (mapped === undefined) out += char;
		else out += char === lower ? mapped : mapped.charAt(0).toUpperCase() + mapped.slice(1);
	}
	return out;
}
