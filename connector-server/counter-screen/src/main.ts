import type { CounterPickup, CustomerCard, TimelineEvent } from '@nitka/shared';
import { ApiError, CounterApi, type CounterSession } from './api.ts';
import { type CameraScan, startCameraScan } from './camera.ts';
import { h, replace } from './dom.ts';
import {
	dateTime,
	date as dayOf,
	eventSummary,
	loyaltyGroups,
	money,
	parseMoney,
	pickupContents,
	pickupSummary,
} from './format.ts';
import { type Dict, dictionary, initialLang, type Lang, storeLang } from './i18n.ts';
import { identifyRequestFor } from './identify.ts';
import './style.css';

/**
 * The counter screen (docs/counter.md): pair once with a device key, identify a customer by a
 * scanned QR (camera or keyboard-wedge scanner), a phone or a loyalty number, then act on their
 * card. Every action is sent once per tap: its button locks while it is in flight, and a lost
 * answer is resent with the same Idempotency-Key.
 */

const KEY_STORAGE = 'nitka.counter.deviceKey';
const PICKUPS_REFRESH_MS = 30_000;

type MessageKind = 'ok' | 'error' | 'info';

class CounterScreen {
	private lang: Lang = initialLang();
	private t: Dict = dictionary(this.lang);
	private deviceKey: string | null = readKey();
	private api: CounterApi | null = null;
	private session: CounterSession | null = null;
	private card: CustomerCard | null = null;
	private pickups: CounterPickup[] = [];
	private camera: CameraScan | null = null;
	private pickupsTimer: ReturnType<typeof setInterval> | undefined;
	/** Requests in flight by what they do: a second tap on the same thing is ignored. */
	private readonly inFlight = new Set<string>();

	private readonly root: HTMLElement;
	private readonly messageBox = h('div', {
		class: 'message',
		role: 'status',
		'aria-live': 'polite',
		'data-role': 'message',
	});
	private readonly cardBox = h('div', { 'data-role': 'card' });
	private readonly pickupBox = h('aside', { class: 'pickups', 'data-role': 'pickup-list' });
	private identifyInput: HTMLInputElement | null = null;

	constructor(root: HTMLElement) {
		this.root = root;
		document.addEventListener('keydown', (event) => this.redirectTyping(event));
	}

	async start(): Promise<void> {
		const linked = takeLinkedKey();
		if (linked) {
			// A pairing link (`/counter/#key=nkc_…`): paired as if the key were pasted, and the
			// key leaves the address bar and the history at once.
			this.renderPairing(undefined, linked);
			return;
		}
		if (!this.deviceKey) {
			this.renderPairing();
			return;
		}
		this.api = this.makeApi(this.deviceKey);
		this.renderMain();
		await this.loadSession();
	}

	private makeApi(key: string): CounterApi {
		return new CounterApi(key, { onRetry: () => this.say('info', this.t.retrying) });
	}

	// ---- pairing ---------------------------------------------------------------------------

	private renderPairing(error?: string, linkedKey?: string): void {
		this.stopCamera();
		this.setDocument('pair');
		const t = this.t;
		const input = h('input', {
			id: 'device-key',
			name: 'deviceKey',
			type: 'text',
			autocomplete: 'off',
			autocapitalize: 'off',
			spellcheck: 'false',
			placeholder: 'nkc_…',
			'data-role': 'pair-input',
			required: true,
		});
		const button = h('button', { type: 'submit', class: 'primary', 'data-role': 'pair' }, t.pair);
		const form = h(
			'form',
			{ class: 'panel pair', 'data-role': 'pair-form' },
			h('h1', {}, t.pairTitle),
			h('p', { class: 'hint' }, t.pairHint),
			h('label', { for: 'device-key' }, t.pairKey),
			input,
			button,
		);
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			void this.pair(input.value.trim(), [input, button]);
		});
		replace(this.messageBox);
		replace(this.root, this.header(), this.messageBox, h('main', { class: 'center' }, form));
		if (error) this.say('error', error);
		if (linkedKey) {
			input.value = linkedKey;
			void this.pair(linkedKey, [input, button]);
		} else input.focus();
	}

	private async pair(key: string, controls: HTMLElement[]): Promise<void> {
		if (!/^nkc_\S+$/.test(key)) {
			this.say('error', this.t.keyFormat);
			return;
		}
		const api = this.makeApi(key);
		await this.perform('pair', controls, async () => {
			this.say('info', this.t.pairing);
			const session = await api.session();
			storeKey(key);
			this.deviceKey = key;
			this.api = api;
			this.session = session;
			this.renderMain();
			replace(this.messageBox);
			await this.loadPickups();
		});
	}

	private unpair(): void {
		if (!window.confirm(this.t.unpairConfirm)) return;
		this.forgetPairing();
	}

	private forgetPairing(error?: string): void {
		storeKey(null);
		this.deviceKey = null;
		this.api = null;
		this.session = null;
		this.card = null;
		this.pickups = [];
		if (this.pickupsTimer) clearInterval(this.pickupsTimer);
		this.renderPairing(error);
	}

	private async loadSession(): Promise<void> {
		const api = this.api;
		if (!api) return;
		try {
			this.session = await api.session();
			this.renderHeader();
			await this.loadPickups();
		} catch (error) {
			if (error instanceof ApiError && error.code === 'unauthenticated') {
				this.forgetPairing(this.errorText(error));
				return;
			}
			this.sayError(error, () => void this.loadSession());
		}
	}

	// ---- layout ----------------------------------------------------------------------------

	private setDocument(view: 'pair' | 'main'): void {
		document.documentElement.lang = this.lang;
		document.title = `Nitka · ${this.t.title}`;
		this.root.dataset.view = view;
	}

	private header(): HTMLElement {
		const t = this.t;
		const session = this.session;
		const where = session
			? h(
					'div',
					{ class: 'where', 'data-role': 'session' },
					h('strong', { 'data-role': 'shop' }, session.shop.name),
					h('span', { 'data-role': 'location' }, `${t.location}: ${session.location.name}`),
					session.location.address ? h('span', { class: 'muted' }, session.location.address) : null,
					h('span', { 'data-role': 'device' }, `${t.device}: ${session.device.name}`),
				)
			: h('div', { class: 'where' }, h('strong', {}, `Nitka · ${t.title}`));
		const langButton = (lang: Lang, label: string) =>
			h(
				'button',
				{
					type: 'button',
					class: lang === this.lang ? 'lang active' : 'lang',
					'data-lang': lang,
					'aria-pressed': String(lang === this.lang),
					lang,
					onclick: () => this.switchLang(lang),
				},
				label,
			);
		return h(
			'header',
			{ class: 'bar', 'data-role': 'header' },
			where,
			h(
				'div',
				{ class: 'tools' },
				langButton('ru', 'RU'),
				langButton('en', 'EN'),
				this.deviceKey
					? h(
							'button',
							{ type: 'button', class: 'quiet', 'data-role': 'unpair', onclick: () => this.unpair() },
							t.unpair,
						)
					: null,
			),
		);
	}

	private renderHeader(): void {
		const old = this.root.querySelector('header.bar');
		if (old) old.replaceWith(this.header());
	}

	private switchLang(lang: Lang): void {
		if (lang === this.lang) return;
		this.lang = lang;
		this.t = dictionary(lang);
		storeLang(lang);
		if (this.api) this.renderMain();
		else this.renderPairing();
	}

	private renderMain(): void {
		this.stopCamera();
		this.setDocument('main');
		replace(this.messageBox);
		replace(
			this.root,
			this.header(),
			this.messageBox,
			h(
				'main',
				{ class: 'layout' },
				h('section', { class: 'work' }, this.identifyForm(), this.cardBox),
				this.pickupBox,
			),
		);
		this.renderCard();
		this.renderPickups();
		if (this.pickupsTimer) clearInterval(this.pickupsTimer);
		this.pickupsTimer = setInterval(() => {
			if (document.visibilityState === 'visible' && this.inFlight.size === 0) void this.loadPickups(true);
		}, PICKUPS_REFRESH_MS);
		this.identifyInput?.focus();
	}

	// ---- messages --------------------------------------------------------------------------

	private say(kind: MessageKind, text: string, retry?: () => void): void {
		this.messageBox.dataset.kind = kind;
		replace(
			this.messageBox,
			h('span', { 'data-role': 'message-text' }, text),
			retry
				? h(
						'button',
						{ type: 'button', class: 'retry', 'data-role': 'retry', onclick: () => retry() },
						this.t.retry,
					)
				: null,
		);
	}

	private errorText(error: unknown): string {
		if (!(error instanceof ApiError)) return this.t.errors.server ?? String(error);
		return this.t.errors[error.code] ?? (error.detail || this.t.errors.server || error.code);
	}

	private sayError(error: unknown, retry?: () => void): void {
		const retryable = error instanceof ApiError && error.retryable;
		this.say('error', this.errorText(error), retryable ? retry : undefined);
	}

	/**
	 * Runs one request: its controls lock until the answer, a second start of the same thing is
	 * ignored, and a failure says what happened (with "Retry" when resending is safe).
	 */
	private async perform(
		what: string,
		controls: (HTMLElement | null | undefined)[],
		work: () => Promise<void>,
		retry?: () => void,
	): Promise<void> {
		if (this.inFlight.has(what)) return;
		this.inFlight.add(what);
		const locked = controls.filter(
			(c): c is HTMLButtonElement | HTMLInputElement => !!c && 'disabled' in c && !c.disabled,
		);
		for (const control of locked) {
			control.disabled = true;
			control.setAttribute('aria-busy', 'true');
		}
		try {
			await work();
		} catch (error) {
			if (error instanceof ApiError && error.code === 'unauthenticated' && this.api) {
				// The key was revoked (or the location closed): this tablet must be paired again.
				this.forgetPairing(this.errorText(error));
				return;
			}
			this.sayError(error, retry);
		} finally {
			this.inFlight.delete(what);
			for (const control of locked) {
				control.disabled = false;
				control.removeAttribute('aria-busy');
			}
		}
	}

	// ---- identify --------------------------------------------------------------------------

	private identifyForm(): HTMLElement {
		const t = this.t;
		const input = h('input', {
			id: 'identify',
			name: 'identify',
			type: 'text',
			inputmode: 'text',
			enterkeyhint: 'search',
			autocomplete: 'off',
			autocapitalize: 'off',
			autocorrect: 'off',
			spellcheck: 'false',
			maxlength: 1000,
			'data-role': 'identify-input',
		});
		this.identifyInput = input;
		const find = h('button', { type: 'submit', class: 'primary', 'data-role': 'identify' }, t.find);
		const video = h('video', { class: 'camera-view', playsinline: true, muted: true });
		const cameraBox = h(
			'div',
			{ class: 'camera', hidden: true, 'data-role': 'camera' },
			video,
			h('p', { class: 'hint' }, t.cameraHint),
		);
		const cameraButton = h('button', { type: 'button', 'data-role': 'camera-toggle' }, t.camera);
		cameraButton.addEventListener('click', () => {
			if (this.camera) {
				this.stopCamera();
				return;
			}
			cameraBox.hidden = false;
			cameraButton.textContent = t.cameraStop;
			void startCameraScan(
				video,
				(text) => {
					this.camera = null;
					cameraBox.hidden = true;
					cameraButton.textContent = t.camera;
					void this.identify(text, [find]);
				},
				(failure) => {
					cameraBox.hidden = true;
					cameraButton.textContent = t.camera;
					this.say('error', failure === 'denied' ? t.cameraDenied : t.cameraUnavailable);
				},
			).then((scan) => {
				this.camera = scan;
			});
		});
		const form = h(
			'form',
			{ class: 'panel identify', 'data-role': 'identify-form' },
			h('label', { for: 'identify' }, t.identifyLabel),
			h('div', { class: 'row' }, input, find, cameraButton),
			h('p', { class: 'hint' }, t.identifyHint),
			cameraBox,
		);
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			const raw = input.value;
			input.value = '';
			// Only the button locks: the field stays open so a scanner's next code is never lost.
			void this.identify(raw, [find]);
		});
		return form;
	}

	private stopCamera(): void {
		this.camera?.stop();
		this.camera = null;
		const box = this.root.querySelector<HTMLElement>('[data-role="camera"]');
		if (box) box.hidden = true;
		const toggle = this.root.querySelector<HTMLElement>('[data-role="camera-toggle"]');
		if (toggle) toggle.textContent = this.t.camera;
	}

	/** A keyboard-wedge scanner types into whatever has focus: bring stray typing to the scan field. */
	private redirectTyping(event: KeyboardEvent): void {
		const input = this.identifyInput;
		if (!input?.isConnected || event.ctrlKey || event.metaKey || event.altKey) return;
		if (event.key.length !== 1 || event.key === ' ') return;
		const active = document.activeElement;
		if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return;
		if (active instanceof HTMLSelectElement) return;
		if (!input || input.disabled) return;
		// The key that strayed is typed into the field too: a scanner's first character is not lost.
		event.preventDefault();
		input.focus();
		input.value += event.key;
	}

	private async identify(raw: string, controls: HTMLElement[]): Promise<void> {
		const api = this.api;
		const request = identifyRequestFor(raw);
		if (!api || !request) return;
		await this.perform(
			`identify ${JSON.stringify(request)}`,
			controls,
			async () => {
				this.say('info', this.t.searching);
				const card = await api.identify(request);
				this.card = card;
				this.renderCard();
				this.say('ok', `${this.t.found}: ${card.customer.name ?? this.t.noName}`);
			},
			() => void this.identify(raw, controls),
		);
		this.identifyInput?.focus();
	}

	// ---- the customer card -----------------------------------------------------------------

	private renderCard(): void {
		const card = this.card;
		if (!card) {
			replace(this.cardBox);
			return;
		}
		const t = this.t;
		const lang = this.lang;
		const scannedId = card.scanned?.kind === 'return' ? card.scanned.returnId : null;
		// Marked while it awaits the goods; once received it is no longer on the card.
		const scannedReturn = card.returns.some((r) => r.id === scannedId) ? scannedId : null;

		const head = h(
			'div',
			{ class: 'card-head' },
			h('h2', { 'data-role': 'customer-name' }, card.customer.name ?? t.noName),
			h(
				'button',
				{
					type: 'button',
					class: 'quiet',
					'data-role': 'close-card',
					onclick: () => {
						this.card = null;
						this.renderCard();
						replace(this.messageBox);
						this.identifyInput?.focus();
					},
				},
				t.closeCard,
			),
		);
		// The loyalty number is shown once, as the card's number.
		const identities = card.identities.filter(
			(identity) => !(identity.type === 'loyalty_card' && identity.value === card.loyaltyNumber),
		);
		const facts = h(
			'dl',
			{ class: 'facts' },
			h('dt', {}, t.loyalty),
			h('dd', { 'data-role': 'loyalty-number', class: 'mono' }, loyaltyGroups(card.loyaltyNumber)),
			identities.length > 0 ? h('dt', {}, t.identities) : null,
			identities.length > 0
				? h(
						'dd',
						{ 'data-role': 'identities' },
						h(
							'ul',
							{ class: 'plain' },
							identities.map((identity) =>
								h('li', {}, `${t.identityTypes[identity.type] ?? identity.type}: ${identity.value}`),
							),
						),
					)
				: null,
		);

		const pickups = this.section(
			t.pickupsHere,
			'card-pickups',
			card.pickups.length === 0
				? h('p', { class: 'muted' }, t.noPickups)
				: h(
						'ul',
						{ class: 'rows' },
						card.pickups.map((pickup) => {
							const button = h(
								'button',
								{
									type: 'button',
									class: 'primary',
									'data-action': 'hand-over',
									'data-order': pickup.orderId,
								},
								`${t.handOver} ${pickup.number}`,
							);
							button.addEventListener('click', () => this.handOver(card, pickup, button));
							// What to hand over: the items and the total, so staff check the bag before the tap.
							const contents = pickupContents(this.lang, t, pickup);
							return h(
								'li',
								{ 'data-order': pickup.orderId },
								h('span', { class: 'title' }, t.order(pickup.number)),
								this.stateBadge(pickup.state),
								h(
									'div',
									{ class: 'contents', 'data-role': 'pickup-contents' },
									contents.lines.length > 0
										? h(
												'ul',
												{ class: 'pickup-items', 'data-role': 'pickup-items' },
												contents.lines.map((line) => h('li', {}, line)),
											)
										: h('p', { class: 'muted' }, t.noItems),
									contents.total
										? h('p', { class: 'total', 'data-role': 'pickup-total' }, contents.total)
										: null,
								),
								button,
							);
						}),
					),
		);

		const promoInput = h('input', {
			name: 'code',
			type: 'text',
			autocomplete: 'off',
			autocapitalize: 'characters',
			spellcheck: 'false',
			maxlength: 100,
			'aria-label': t.promoLabel,
			placeholder: t.promoLabel,
			'data-role': 'promo-input',
		});
		const promoButton = h('button', { type: 'submit', 'data-role': 'promo-redeem' }, t.redeem);
		const promoForm = h('form', { class: 'row', 'data-form': 'promo' }, promoInput, promoButton);
		promoForm.addEventListener('submit', (event) => {
			event.preventDefault();
			const code = promoInput.value.trim();
			if (!code) return;
			this.redeem(card, code, [promoInput, promoButton]);
		});
		const promos = this.section(
			t.promoCodes,
			'card-promos',
			card.promoCodes.length === 0
				? h('p', { class: 'muted' }, t.noPromo)
				: h(
						'ul',
						{ class: 'rows' },
						card.promoCodes.map((promo) => {
							const button = h(
								'button',
								{ type: 'button', class: 'primary', 'data-action': 'redeem', 'data-code': promo.code },
								t.redeem,
							);
							button.addEventListener('click', () => this.redeem(card, promo.code, [button]));
							return h(
								'li',
								{ 'data-code': promo.code },
								h('span', { class: 'title mono' }, promo.code),
								h(
									'span',
									{ class: 'muted' },
									[
										promo.offer,
										promo.campaign,
										promo.expiresAt ? t.until(dayOf(lang, promo.expiresAt)) : null,
									]
										.filter(Boolean)
										.join(' · '),
								),
								button,
							);
						}),
					),
			promoForm,
		);

		const returns = this.section(
			t.returns,
			'card-returns',
			scannedReturn ? h('p', { class: 'notice' }, t.scannedReturn) : null,
			card.returns.length === 0
				? h('p', { class: 'muted' }, t.noReturns)
				: h(
						'ul',
						{ class: 'rows' },
						card.returns.map((item) => {
							const button = h(
								'button',
								{ type: 'button', class: 'primary', 'data-action': 'accept-return', 'data-return': item.id },
								t.acceptReturn,
							);
							button.addEventListener('click', () =>
								this.customerAction(card, 'returns', { returnId: item.id }, [button], t.returnDone),
							);
							const goods = item.items.map((g) => `${g.name} × ${g.quantity}`).join(', ');
							return h(
								'li',
								{ 'data-return': item.id, class: item.id === scannedReturn ? 'highlight' : '' },
								h(
									'span',
									{ class: 'title' },
									item.orderNumber ? t.order(item.orderNumber) : goods || item.id,
								),
								h(
									'span',
									{ class: 'muted' },
									[
										item.orderNumber ? goods : null,
										item.reason ? `${t.reason}: ${item.reason}` : null,
										money(lang, item.total, item.currency ?? 'RUB'),
										item.deadlineAt ? t.until(dayOf(lang, item.deadlineAt)) : null,
									]
										.filter(Boolean)
										.join(' · '),
								),
								button,
							);
						}),
					),
			this.otherReturnForm(card),
		);

		const timeline = this.section(
			t.timeline,
			'card-timeline',
			card.timeline.length === 0
				? h('p', { class: 'muted' }, t.noTimeline)
				: h(
						'ol',
						{ class: 'timeline' },
						(card.timeline as TimelineEvent[]).map((event) =>
							h(
								'li',
								{ 'data-type': event.type },
								h('time', { datetime: event.occurredAt }, dateTime(lang, event.occurredAt)),
								h('span', { class: 'channel' }, event.channel),
								h('span', { class: 'summary' }, eventSummary(lang, t, event)),
							),
						),
					),
		);

		replace(
			this.cardBox,
			h(
				'article',
				{ class: 'panel card', 'data-role': 'customer-card', 'data-customer': card.customer.id },
				head,
				facts,
				pickups,
				promos,
				returns,
				this.section(t.purchase, 'card-purchase', this.purchaseForm(card)),
				this.section(t.note, 'card-note', this.noteForm(card)),
				timeline,
			),
		);
	}

	private section(title: string, role: string, ...content: (Node | null)[]): HTMLElement {
		return h('section', { class: 'block', 'data-role': role }, h('h3', {}, title), ...content);
	}

	private stateBadge(state: CounterPickup['state']): HTMLElement {
		const label = state === 'ready' ? this.t.ready : state === 'to_prepare' ? this.t.toPrepare : state;
		return h('span', { class: `badge ${state}`, 'data-state': state }, label);
	}

	private field(label: string, input: HTMLElement): HTMLElement {
		return h('label', { class: 'field' }, h('span', {}, label), input);
	}

	private purchaseForm(card: CustomerCard): HTMLElement {
		const t = this.t;
		const receipt = h('input', {
			name: 'receiptId',
			type: 'text',
			autocomplete: 'off',
			maxlength: 200,
			required: true,
		});
		const total = h('input', {
			name: 'total',
			type: 'text',
			inputmode: 'decimal',
			autocomplete: 'off',
			required: true,
		});
		const itemsBox = h('div', { class: 'items', 'data-role': 'purchase-items' });
		const addRow = () => {
			const row = h(
				'div',
				{ class: 'item-row' },
				h('input', {
					name: 'itemName',
					type: 'text',
					maxlength: 500,
					placeholder: t.itemName,
					'aria-label': t.itemName,
				}),
				h('input', {
					name: 'itemQty',
					type: 'number',
					min: '1',
					step: '1',
					value: '1',
					'aria-label': t.itemQty,
				}),
				h('input', {
					name: 'itemPrice',
					type: 'text',
					inputmode: 'decimal',
					placeholder: t.itemPrice,
					'aria-label': t.itemPrice,
				}),
			);
			row.append(h('button', { type: 'button', class: 'quiet', onclick: () => row.remove() }, t.removeItem));
			itemsBox.append(row);
		};
		const submit = h(
			'button',
			{ type: 'submit', class: 'primary', 'data-role': 'purchase-submit' },
			t.recordPurchase,
		);
		const form = h(
			'form',
			{ class: 'stack', 'data-form': 'purchase' },
			h('div', { class: 'row' }, this.field(t.receiptId, receipt), this.field(t.total, total)),
			h('span', { class: 'label' }, t.items),
			itemsBox,
			h('button', { type: 'button', class: 'quiet', 'data-role': 'add-item', onclick: addRow }, t.addItem),
			submit,
		);
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			const amount = parseMoney(total.value);
			if (!receipt.value.trim()) {
				this.say('error', `${t.receiptId}: ${t.required}`);
				return;
			}
			if (!amount) {
				this.say('error', t.invalidTotal);
				return;
			}
			const items: { name: string; quantity: number; price: string }[] = [];
			for (const row of itemsBox.querySelectorAll('.item-row')) {
				const [name, qty, price] = [...row.querySelectorAll('input')].map((i) => i.value.trim());
				if (!name) continue;
				const itemPrice = parseMoney(price ?? '');
				if (!itemPrice) {
					this.say('error', `${name}: ${t.invalidTotal}`);
					return;
				}
				items.push({ name, quantity: Math.max(1, Number(qty) || 1), price: itemPrice });
			}
			const body = { receiptId: receipt.value.trim(), total: amount, currency: 'RUB', items };
			this.customerAction(card, 'purchases', body, [...form.querySelectorAll('button')], t.purchaseDone);
		});
		return form;
	}

	private otherReturnForm(card: CustomerCard): HTMLElement {
		const t = this.t;
		const receipt = h('input', { name: 'receiptId', type: 'text', autocomplete: 'off', maxlength: 200 });
		const total = h('input', { name: 'total', type: 'text', inputmode: 'decimal', autocomplete: 'off' });
		const reason = h('input', { name: 'reason', type: 'text', autocomplete: 'off', maxlength: 2000 });
		const submit = h('button', { type: 'submit', 'data-role': 'other-return-submit' }, t.acceptReturn);
		const form = h(
			'form',
			{ class: 'stack', 'data-form': 'other-return' },
			h('div', { class: 'row' }, this.field(t.receiptOrOrder, receipt), this.field(t.total, total)),
			this.field(t.reason, reason),
			submit,
		);
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			if (!receipt.value.trim()) {
				this.say('error', `${t.receiptOrOrder}: ${t.required}`);
				return;
			}
			const amount = total.value.trim() ? parseMoney(total.value) : undefined;
			if (amount === null) {
				this.say('error', t.invalidTotal);
				return;
			}
			const body: Record<string, unknown> = { receiptId: receipt.value.trim(), items: [] };
			if (amount) body.total = amount;
			if (reason.value.trim()) body.reason = reason.value.trim();
			this.customerAction(card, 'returns', body, [submit], t.returnDone);
		});
		return h('details', { class: 'other-return' }, h('summary', {}, t.otherReturn), form);
	}

	private noteForm(card: CustomerCard): HTMLElement {
		const t = this.t;
		const text = h('textarea', {
			name: 'note',
			rows: 2,
			maxlength: 2000,
			placeholder: t.notePlaceholder,
			'aria-label': t.note,
		});
		const submit = h('button', { type: 'submit', 'data-role': 'note-submit' }, t.saveNote);
		const form = h('form', { class: 'stack', 'data-form': 'note' }, text, submit);
		form.addEventListener('submit', (event) => {
			event.preventDefault();
			const value = text.value.trim();
			if (!value) return;
			this.customerAction(card, 'notes', { text: value }, [submit, text], t.noteDone);
		});
		return form;
	}

	private handOver(card: CustomerCard, pickup: CounterPickup, button: HTMLButtonElement): void {
		this.customerAction(
			card,
			'pickups',
			{ orderId: pickup.orderId },
			[button],
			this.t.pickupDone(pickup.number),
		);
	}

	private redeem(card: CustomerCard, code: string, controls: HTMLElement[]): void {
		this.customerAction(card, 'promo-redemptions', { code }, controls, undefined, (result) =>
			this.t.promoDone(result.code ?? code),
		);
	}

	/** One confirmed action on the card; on success the card and the pickup list are read again. */
	private customerAction(
		card: CustomerCard,
		kind: 'pickups' | 'promo-redemptions' | 'purchases' | 'returns' | 'notes',
		body: object,
		controls: HTMLElement[],
		done?: string,
		doneFor?: (result: { code?: string | undefined; duplicate: boolean }) => string,
	): void {
		const api = this.api;
		if (!api) return;
		const what = `${kind} ${card.customer.id} ${JSON.stringify(body)}`;
		const run = (): void => {
			void this.perform(
				what,
				controls,
				async () => {
					this.say('info', this.t.inFlight);
					const result = await api.customerAction(card.customer.id, kind, body);
					const text =
						kind === 'purchases' && result.duplicate
							? this.t.purchaseDuplicate
							: (doneFor?.(result) ?? done ?? '');
					await this.refreshCard(card.customer.id);
					this.say('ok', text);
					if (kind === 'pickups' || kind === 'returns') void this.loadPickups(true);
				},
				run,
			);
		};
		run();
	}

	private async refreshCard(customerId: string): Promise<void> {
		const api = this.api;
		if (!api) return;
		try {
			const fresh = await api.card(customerId);
			// Another customer may have been scanned meanwhile: theirs stays on the screen.
			if (this.card?.customer.id !== customerId) return;
			// A return QR's mark stays while the same customer is shown.
			if (this.card?.scanned && !fresh.scanned) fresh.scanned = this.card.scanned;
			this.card = fresh;
			this.renderCard();
		} catch {
			// The action itself succeeded; the card is read again on the next action.
		}
	}

	// ---- this location's pickup orders -----------------------------------------------------

	private async loadPickups(quiet = false): Promise<void> {
		const api = this.api;
		if (!api) return;
		try {
			this.pickups = (await api.pickups()).items;
			this.renderPickups();
		} catch (error) {
			if (error instanceof ApiError && error.code === 'unauthenticated') {
				this.forgetPairing(this.errorText(error));
				return;
			}
			if (!quiet) this.sayError(error, () => void this.loadPickups());
		}
	}

	private renderPickups(): void {
		const t = this.t;
		const lang = this.lang;
		const refresh = h(
			'button',
			{ type: 'button', class: 'quiet', 'data-role': 'pickups-refresh' },
			t.refresh,
		);
		refresh.addEventListener(
			'click',
			() => void this.perform('pickups', [refresh], () => this.loadPickups()),
		);
		const group = (state: 'to_prepare' | 'ready', title: string) => {
			const items = this.pickups.filter((p) => p.state === state);
			return h(
				'section',
				{ class: 'block', 'data-group': state },
				h('h3', {}, `${title} (${items.length})`),
				items.length === 0
					? h('p', { class: 'muted' }, t.noOrders)
					: h(
							'ul',
							{ class: 'rows' },
							items.map((pickup) => {
								const button =
									state === 'to_prepare'
										? h(
												'button',
												{ type: 'button', 'data-action': 'mark-ready', 'data-order': pickup.orderId },
												t.markReady,
											)
										: null;
								button?.addEventListener('click', () => this.markReady(pickup, button));
								return h(
									'li',
									{ 'data-order': pickup.orderId },
									h('span', { class: 'title' }, t.order(pickup.number)),
									h(
										'span',
										{ class: 'muted' },
										[pickup.customerName, dateTime(lang, pickup.readyAt ?? pickup.createdAt)]
											.filter(Boolean)
											.join(' · '),
									),
									button,
									pickupSummary(lang, t, pickup)
										? h(
												'span',
												{ class: 'summary', 'data-role': 'pickup-summary' },
												pickupSummary(lang, t, pickup),
											)
										: null,
								);
							}),
						),
			);
		};
		replace(
			this.pickupBox,
			h('div', { class: 'card-head' }, h('h2', {}, t.pickupList), refresh),
			group('to_prepare', t.toPrepare),
			group('ready', t.ready),
		);
	}

	private markReady(pickup: CounterPickup, button: HTMLButtonElement): void {
		const api = this.api;
		if (!api) return;
		const run = (): void => {
			void this.perform(
				`ready ${pickup.orderId}`,
				[button],
				async () => {
					this.say('info', this.t.inFlight);
					await api.markReady(pickup.orderId);
					this.say('ok', this.t.readyDone(pickup.number));
					await this.loadPickups(true);
					if (this.card?.pickups.some((p) => p.orderId === pickup.orderId)) {
						await this.refreshCard(this.card.customer.id);
					}
				},
				run,
			);
		};
		run();
	}
}

/**
 * The device key of a pairing link, `/counter/#key=nkc_…`, taken out of the address at once. A
 * fragment is never sent to a server (so never in a request log or a Referer), and replacing the
 * history entry keeps it out of the back button too. Anything else in the fragment is left alone.
 */
function takeLinkedKey(): string | null {
	const match = /^#key=([^&]*)$/.exec(window.location.hash);
	if (!match) return null;
	try {
		window.history.replaceState(null, '', window.location.pathname + window.location.search);
	} catch {
		window.location.hash = '';
	}
	let key: string;
	try {
		key = decodeURIComponent(match[1] ?? '').trim();
	} catch {
		return null;
	}
	return key || null;
}

function readKey(): string | null {
	try {
		return localStorage.getItem(KEY_STORAGE);
	} catch {
		return null;
	}
}

function storeKey(key: string | null): void {
	try {
		if (key) localStorage.setItem(KEY_STORAGE, key);
		else localStorage.removeItem(KEY_STORAGE);
	} catch {
		// Storage disabled: the pairing lasts for this page only.
	}
}

const root = document.getElementById('app');
if (root) void new CounterScreen(root).start();
