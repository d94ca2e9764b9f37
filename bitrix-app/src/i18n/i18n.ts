import { ref } from 'vue';
import { en, type MessageKey } from './en.ts';
import { ru } from './ru.ts';

export type Language = 'en' | 'ru';
export type { MessageKey };

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, ru };
// Portal languages whose users read Russian best among the two we have.
const russianReaders = new Set(['ru', 'ua', 'kz', 'by']);

/** The app's language, following the portal's. */
export const language = ref<Language>('en');

export function languageOf(portalLang: string | null | undefined): Language {
	return russianReaders.has((portalLang ?? '').toLowerCase()) ? 'ru' : 'en';
}

export function setLanguage(portalLang: string | null | undefined): void {
	language.value = languageOf(portalLang);
	document.documentElement.lang = language.value;
}

/** The string for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
	const text = dictionaries[language.value][key] ?? en[key];
	return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** Locale for Intl formatting. */
export const locale = () => (language.value === 'ru' ? 'ru-RU' : 'en-GB');
