import { defineScene } from './define-scene.ts';

export const bitrix24Scene = defineScene({
	title: { ru: 'Карточка в Битрикс24', en: 'The Bitrix24 card' },
	about: {
		ru: 'Эмулированный портал с установленным приложением Nitka: клиент пишет — Nitka заводит контакт через открытую линию, и лента видна во вкладке карточки.',
		en: "The emulated portal with the Nitka app installed: a customer writes, Nitka makes the contact through the open line, and the card's tab shows the timeline.",
	},
	actions: [],
	status: ({ portal }) => {
		const appPage = portal.appPageUrl();
		const cards = portal.contacts().map((c) => ({
			label: { ru: `Контакт: ${c.name}`, en: `Contact: ${c.name}` },
			url: portal.contactCardUrl(c.id),
		}));
		if (!appPage) {
			return {
				state: portal.installError ? 'partial' : 'coming',
				note: portal.installError
					? {
							ru: `Приложение не установилось: ${portal.installError}. Портал работает без него.`,
							en: `The app did not install: ${portal.installError}. The portal runs without it.`,
						}
					: {
							ru: 'bitrix-app не собрано: npm start собирает его (или npm run build -w bitrix-app), затем перезапустите демо. Портал уже работает.',
							en: 'bitrix-app is not built: npm start builds it (or npm run build -w bitrix-app); then restart the demo. The portal already runs.',
						},
				links: [{ label: { ru: 'Портал', en: 'Portal' }, url: portal.contactCardUrl(1) }],
			};
		}
		return {
			state: 'ready',
			note: {
				ru: 'Напишите от клиента — его карточка появится здесь и у клиента справа. Сначала откройте приложение: оно завершит установку, как на настоящем портале.',
				en: 'Write as a customer: their card appears here and by the customer on the right. Open the app first: it finishes its install, as on a real portal.',
			},
			links: [{ label: { ru: 'Приложение', en: 'The app' }, url: appPage }, ...cards],
		};
	},
});

export const wordpressScene = defineScene({
	title: { ru: 'WooCommerce в WordPress', en: 'WooCommerce in WordPress' },
	about: {
		ru: 'Лента клиента на экране заказа и покупателя в админке WooCommerce.',
		en: "The customer's timeline on the order and customer screens of the WooCommerce admin.",
	},
	actions: [],
	status: ({ wordpress }) => {
		if (!wordpress) {
			return {
				state: 'coming',
				note: {
					ru: 'WordPress не запущен: bash tests/wordpress/setup.sh поднимет его, затем перезапустите демо — оно само свяжет сайт с коннектором.',
					en: 'WordPress is not running: bash tests/wordpress/setup.sh brings it up; then restart the demo, which pairs the site with the connector.',
				},
			};
		}
		const links = [
			{
				label: { ru: 'Настройки Nitka', en: 'Nitka settings' },
				url: `${wordpress.url}/wp-admin/admin.php?page=nitka`,
			},
			{ label: { ru: 'Админка WordPress', en: 'WordPress admin' }, url: `${wordpress.url}/wp-admin/` },
		];
		if (!wordpress.tenantId) {
			return {
				state: 'partial',
				note: {
					ru: `WordPress работает, но демо не связало его с коннектором (${wordpress.problem}).`,
					en: `WordPress runs, but the demo did not pair it with the connector (${wordpress.problem}).`,
				},
				links,
			};
		}
		return {
			state: 'ready',
			note: {
				ru: 'Сайт связан с коннектором (локальный код связывания).',
				en: 'The site is paired with the connector (a local pairing code).',
			},
			links,
		};
	},
});
