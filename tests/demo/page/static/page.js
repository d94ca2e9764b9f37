// The demo page: builds everything with DOM calls and textContent. Customer text is never parsed as HTML.

const $ = (id) => document.getElementById(id);
const messengers = [
	['telegram', 'Telegram'],
	['vk', 'VK'],
	['max', 'MAX'],
];

/** An element with attributes and children; string children become text nodes. */
function el(tag, attrs, ...children) {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(attrs ?? {})) {
		if (key === 'class') node.className = value;
		else node.setAttribute(key, value);
	}
	for (const child of children.flat()) {
		if (child === null || child === undefined) continue;
		node.append(typeof child === 'string' ? document.createTextNode(child) : child);
	}
	return node;
}

const both = (text) => `${text.ru} / ${text.en}`;

async function getJson(url) {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`${url}: ${response.status}`);
	return await response.json();
}

async function act(name, body) {
	const response = await fetch(`/api/actions/${name}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = await response.json().catch(() => ({}));
	if (!response.ok) {
		const detail = answer.problem?.detail ?? answer.problem?.title ?? answer.error ?? response.status;
		throw new Error(String(detail));
	}
	return answer.result;
}

const persona = () => $('persona').value;
const counterLocations = [
	['store', 'Магазин / Store'],
	['pickupPoint', 'Пункт выдачи / Pickup point'],
];

/** A scene's links (a counter screen, a card), opened in a new tab. */
function linkList(links) {
	return el(
		'ul',
		{},
		...(links ?? []).map((link) =>
			el(
				'li',
				{},
				el('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer' }, both(link.label)),
			),
		),
	);
}

function select(name, options) {
	return el(
		'select',
		{ name, 'aria-label': name },
		...options.map(([value, label]) => el('option', { value }, label)),
	);
}

/** A form that runs one action; `fields` build the inputs, `collect` turns the form into its input. */
function actionForm(label, fields, collect) {
	const message = el('span', { class: 'meta', role: 'status' });
	const form = el('form', {}, ...fields, el('button', { type: 'submit' }, label), message);
	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		message.textContent = '…';
		message.className = 'meta';
		try {
			const [name, body] = collect(new FormData(form));
			const result = await act(name, body);
			message.replaceChildren(...resultNodes(result));
			const text = form.querySelector('input[type="text"]');
			if (text) text.value = '';
			refresh();
		} catch (error) {
			message.textContent = error.message;
			message.className = 'meta error';
		}
	});
	return form;
}

/** What an action answered: its summary, and its link (a card page opens in a new tab). */
function resultNodes(result) {
	const nodes = ['✓'];
	if (typeof result?.summary === 'string') nodes.push(` ${result.summary}`);
	if (typeof result?.url === 'string') {
		const card = /^https?:\/\/[^/]+\/card\//.test(result.url);
		nodes.push(
			' ',
			card
				? el('a', { href: result.url, target: '_blank', rel: 'noopener noreferrer' }, result.url)
				: result.url,
		);
	}
	return nodes;
}

const textField = (placeholder) => el('input', { type: 'text', name: 'text', placeholder, required: '' });

/** The form of each action a scene offers. */
const forms = {
	'telegram.write': () =>
		actionForm('Отправить / Send', [textField('Сообщение / Message')], (d) => [
			'telegram.write',
			{ persona: persona(), text: d.get('text') },
		]),
	'vk.write': () =>
		actionForm('Отправить / Send', [textField('Сообщение / Message')], (d) => [
			'vk.write',
			{ persona: persona(), text: d.get('text') },
		]),
	'max.write': () =>
		actionForm('Отправить / Send', [textField('Сообщение / Message')], (d) => [
			'max.write',
			{ persona: persona(), text: d.get('text') },
		]),
	'telegram.share-phone': () =>
		actionForm('Поделиться номером / Share my number', [], () => [
			'telegram.share-phone',
			{ persona: persona() },
		]),
	'deep-link.follow': () =>
		actionForm(
			'Открыть ссылку / Open the link',
			[
				el('span', { class: 'meta' }, 'известен в / known in'),
				select('from', messengers),
				el('span', { class: 'meta' }, 'открывает в / opens in'),
				select('to', [messengers[1], messengers[2], messengers[0]]),
			],
			(d) => ['deep-link.follow', { persona: persona(), from: d.get('from'), to: d.get('to') }],
		),
	'card.ask': (sceneId) =>
		actionForm(
			'«Моя карта» / "My card"',
			[
				el('span', { class: 'meta' }, 'в / in'),
				// Journey 2 is VK's: its scene offers VK first.
				select('messenger', sceneId === 'promo' ? [messengers[1], messengers[0], messengers[2]] : messengers),
			],
			(d) => ['card.ask', { persona: persona(), messenger: d.get('messenger') }],
		),
	'counter.scan-card': () =>
		actionForm(
			'Показать QR на кассе / Show the QR at the counter',
			[select('location', counterLocations)],
			(d) => ['counter.scan-card', { persona: persona(), location: d.get('location') }],
		),
	'promo.issue': () =>
		actionForm('Магазин: выдать коды сегменту / Shop: issue codes to the segment', [], () => [
			'promo.issue',
			{},
		]),
	'promo.ask': () =>
		actionForm(
			'Попросить промокод / Ask for a promo code',
			[select('messenger', [messengers[1], messengers[0]])],
			(d) => ['promo.ask', { persona: persona(), messenger: d.get('messenger') }],
		),
	'promo.consent': () =>
		actionForm(
			'«Согласен получать предложения» / "I agree to offers"',
			[select('messenger', [messengers[1], messengers[0]])],
			(d) => ['promo.consent', { persona: persona(), messenger: d.get('messenger') }],
		),
	'counter.redeem': () =>
		actionForm(
			'Погасить код на кассе / Redeem at the counter',
			[select('location', counterLocations)],
			(d) => ['counter.redeem', { persona: persona(), location: d.get('location') }],
		),
	'pickup.order': () =>
		actionForm(
			'Заказать в боте с самовывозом / Order in the bot for pickup',
			[select('location', counterLocations)],
			(d) => ['pickup.order', { persona: persona(), location: d.get('location') }],
		),
	'counter.mark-ready': () =>
		actionForm('Касса: заказ готов / Counter: mark ready', [select('location', counterLocations)], (d) => [
			'counter.mark-ready',
			{ persona: persona(), location: d.get('location') },
		]),
	'counter.hand-over': () =>
		actionForm(
			'Выдать на кассе по QR / Hand over at the counter by QR',
			[select('location', counterLocations)],
			(d) => ['counter.hand-over', { persona: persona(), location: d.get('location') }],
		),
	'return.request': () =>
		actionForm(
			'/return в Telegram / /return in Telegram',
			[
				textField('Что случилось / What happened'),
				select('order', [
					['newest', 'последний заказ / the newest order'],
					['none', 'без заказа / no order'],
				]),
			],
			(d) => [
				'return.request',
				{ persona: persona(), reason: d.get('text'), withoutOrder: d.get('order') === 'none' },
			],
		),
	'return.approve': () =>
		actionForm(
			'Менеджер одобряет / The manager approves',
			[
				select('via', [
					['bitrix24', 'задача в Битрикс24 / the Bitrix24 task'],
					['api', 'через API / via the API'],
				]),
			],
			(d) => ['return.approve', { persona: persona(), via: d.get('via') }],
		),
	'counter.accept-return': () =>
		actionForm(
			'Принять возврат по QR / Accept the return by QR',
			[select('location', counterLocations)],
			(d) => ['counter.accept-return', { persona: persona(), location: d.get('location') }],
		),
	'marketplace.place-order': () =>
		actionForm(
			'Заказать / Order',
			[
				select(
					'marketplace',
					state.marketplaces.map((m) => [m.id, both(m.title)]),
				),
			],
			(d) => ['marketplace.place-order', { persona: persona(), marketplace: d.get('marketplace') }],
		),
};

let state = { scenes: [], personas: [], marketplaces: [] };

function renderScenes() {
	const customerSide = state.scenes.filter(
		(s) => s.id !== 'timeline' && s.id !== 'bitrix24' && s.id !== 'wordpress',
	);
	$('scenes').replaceChildren(
		...customerSide.map((scene) => {
			const card = el(
				'div',
				{ class: 'card', 'data-scene': scene.id },
				el(
					'h3',
					{},
					both(scene.title),
					el('span', { class: `badge ${scene.status.state}` }, scene.status.state),
				),
				el('div', { class: 'meta' }, both(scene.about)),
			);
			if (scene.status.note) card.append(el('div', { class: 'meta' }, both(scene.status.note)));
			if (scene.status.links?.length) card.append(linkList(scene.status.links));
			if (scene.status.state !== 'coming')
				for (const action of scene.actions) if (forms[action]) card.append(forms[action](scene.id));
			return card;
		}),
	);
	const hostScenes = state.scenes.filter((s) => s.id === 'bitrix24' || s.id === 'wordpress');
	$('hosts').replaceChildren(
		...hostScenes.map((scene) =>
			el(
				'div',
				{ class: 'card' },
				el(
					'h3',
					{},
					both(scene.title),
					el('span', { class: `badge ${scene.status.state}` }, scene.status.state),
				),
				el('div', { class: 'meta' }, both(scene.about)),
				scene.status.note ? el('div', { class: 'meta' }, both(scene.status.note)) : null,
				el(
					'ul',
					{},
					...(scene.status.links ?? []).map((link) =>
						el('li', {}, el('a', { href: link.url, target: '_blank', rel: 'noopener' }, both(link.label))),
					),
				),
			),
		),
	);
}

/** One line of a timeline event, as text. */
function describe(event) {
	const d = event.data ?? {};
	if (typeof d.text === 'string' && d.text) return d.text;
	if (event.type === 'identity.linked') return `${d.type ?? ''} ${d.value ?? ''}`.trim();
	if (typeof d.status === 'string') return `${d.orderId ?? d.number ?? ''} → ${d.status}`;
	if (typeof d.code === 'string')
		return `${d.code}${typeof d.campaign === 'string' ? ` · ${d.campaign}` : ''}`;
	if (typeof d.buttonData === 'string') return `[${d.buttonData}]`;
	return JSON.stringify(d);
}

function renderCustomer({ customer, timeline, bitrix24Card }) {
	const identities = customer.identities
		.map((i) => `${i.type}: ${i.value}${i.verified ? ' ✓' : ''}`)
		.join(', ');
	const reply = actionForm('Ответить / Reply', [textField('Ответ магазина / Shop reply')], (d) => [
		'shop.reply',
		{ customerId: customer.id, text: d.get('text') },
	]);
	return el(
		'div',
		{ class: 'card', 'data-customer': customer.id },
		el('h3', {}, customer.displayName ?? customer.id),
		el('div', { class: 'meta' }, identities),
		bitrix24Card
			? el(
					'a',
					{ href: bitrix24Card, target: '_blank', rel: 'noopener' },
					'Карточка в Битрикс24 / Bitrix24 card',
				)
			: null,
		el(
			'ol',
			{ class: 'timeline' },
			...timeline.map((event) =>
				el(
					'li',
					{ class: event.type === 'message.out' ? 'out' : '' },
					el(
						'div',
						{ class: 'meta' },
						`${new Date(event.occurredAt).toLocaleString()} · ${event.channel} · ${event.type}`,
					),
					describe(event),
				),
			),
		),
		reply,
	);
}

function renderPersona(view) {
	$('customers').replaceChildren(
		...(view.customers.length
			? view.customers.map(renderCustomer)
			: [
					el(
						'p',
						{ class: 'muted' },
						'Nitka ещё не знает этого клиента: напишите слева. / Nitka does not know this customer yet: write on the left.',
					),
				]),
	);
	const links = [
		[view.cardLink, 'Карта покупателя (ссылка из чата) / The customer card (the link from the chat)'],
		[view.returnLink, 'QR-код возврата (ссылка из чата) / The return QR (the link from the chat)'],
	].filter(([url]) => url);
	const chatLinks = links.map(([url, label]) =>
		el(
			'p',
			{ 'data-role': 'chat-link' },
			el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label),
		),
	);
	$('received').replaceChildren(
		...chatLinks,
		...messengers.map(([id, title]) =>
			el(
				'div',
				{ class: 'card' },
				el('h3', {}, title),
				view.received[id].length
					? el(
							'ol',
							{ class: 'timeline' },
							...view.received[id].map((m) => el('li', { class: 'out' }, m.text)),
						)
					: el('div', { class: 'meta' }, '—'),
			),
		),
	);
}

function renderOrders(orders) {
	const rows = Object.entries(orders).flatMap(([marketplace, list]) =>
		list.map((order) => {
			const button = el('button', { type: 'button' }, 'Дальше / Next');
			button.addEventListener('click', async () => {
				button.disabled = true;
				try {
					await act('marketplace.advance-order', { marketplace, orderId: order.id });
				} catch (error) {
					button.textContent = error.message;
				}
				refresh();
			});
			// The parcel's insert, opened in Telegram by the persona chosen above.
			const insert = el('button', { type: 'button' }, 'Вкладыш → Telegram / Insert → Telegram');
			insert.addEventListener('click', async () => {
				insert.disabled = true;
				try {
					await act('marketplace.follow-insert', { marketplace, orderId: order.id, persona: persona() });
				} catch (error) {
					insert.textContent = error.message;
				}
				refresh();
			});
			return el(
				'tr',
				{},
				el('td', {}, marketplace),
				el('td', {}, order.id),
				el('td', {}, order.buyer ?? '—'),
				el('td', {}, order.items),
				el('td', {}, order.status),
				el('td', {}, button, insert),
			);
		}),
	);
	$('orders').replaceChildren(el('table', {}, ...rows));
}

async function refresh() {
	try {
		const [view, orders] = await Promise.all([getJson(`/api/personas/${persona()}`), getJson('/api/orders')]);
		renderPersona(view);
		renderOrders(orders);
		$('status').textContent = `${new Date().toLocaleTimeString()}`;
	} catch (error) {
		$('status').textContent = error.message;
	}
}

async function start() {
	state = await getJson('/api/state');
	$('persona').replaceChildren(...state.personas.map((p) => el('option', { value: p.id }, both(p.name))));
	$('persona').addEventListener('change', refresh);
	renderScenes();
	await refresh();
	// Long polling and the workers take a moment; the shop's view follows along.
	setInterval(() => {
		if (document.activeElement?.tagName !== 'INPUT') refresh();
	}, 2000);
}

start();
