import type { OrderStatus } from '@nitka/shared';
import { z } from 'zod';
import type { CustomerProfile, HostLinks } from '../../core/ports/host-links.ts';
import { CONTACT_IDENTITY, digits, lower, newContactParams } from './crm-contacts.ts';
import { DEAL_RECORD, dealKey, newDealParams, stageFor } from './crm-deals.ts';
import type { BatchCommand, BatchOutcome } from './rest-client.ts';
import { MAX_BATCH } from './rest-client.ts';
import { type Bitrix24Settings, ContactSchema, DuplicatesSchema } from './schemas.ts';
import { contactLogParams, orderLogEntry } from './timeline-log.ts';

/** Codes a later batch can get past; anything else counts as an attempt at that command. */
const RETRYABLE = new Set([
	'QUERY_LIMIT_EXCEEDED',
	'OPERATION_TIME_LIMIT',
	'expired_token',
	'invalid_token',
	'INTERNAL_SERVER_ERROR',
]);
const MAX_ATTEMPTS = 3;
/** findbycomm takes at most 20 values per command (research §4.3). */
const LOOKUP_VALUES = 20;
/** How far ahead of the deals customers are looked up. */
const LOOKAHEAD = 200;

/** A stored marketplace order, as the backfill needs it (`orderId` is the marketplace's id). */
export interface BackfillOrder {
	source: string;
	orderId: string;
	number: string;
	status: OrderStatus;
	customerId: string;
	total?: string | undefined;
	currency?: string | undefined;
	/** Set when the deal exists (an earlier run made it) and only its timeline entry is left. */
	dealId?: string | undefined;
}

type Stage = 'new' | 'looking' | 'mapping' | 'ready' | 'failed';
interface CustomerState {
	profile: CustomerProfile | null;
	stage: Stage;
	contactId: string | null;
	attempts: number;
}
type Find = 'PHONE' | 'EMAIL';
interface LookupGroup {
	customers: string[];
	values: Record<Find, string[]>;
	toSend: Set<Find>;
	awaiting: Set<Find>;
	ids: Set<number>;
	/** crm.contact.list pages of the found ids still to fetch, and the rows fetched. */
	mapToSend: number[][];
	mapAwaiting: Map<string, number[]>;
	rows: z.infer<typeof ContactSchema>[];
	attempts: number;
}
type Meta =
	| { kind: 'deal'; order: BackfillOrder }
	| { kind: 'log'; order: BackfillOrder }
	| { kind: 'contact'; customerId: string }
	| { kind: 'find'; group: LookupGroup; type: Find }
	| { kind: 'map'; group: LookupGroup; ids: number[] };

export interface PlannedBatch {
	commands: Record<string, BatchCommand>;
	meta: Map<string, Meta>;
	/** What this batch may create, for the journal (`logs`: orders whose timeline entry it writes). */
	inflight: { contacts: string[]; deals: string[]; logs: string[] };
}

/**
 * Packs a backfill into batches of 50: customers are looked up in groups (findbycomm with 20
 * values, then crm.contact.list by the found IDs to see who is who), then each order's deal is
 * created, with its contact in the same batch (`$result[cN]`) when the customer has none, and
 * right after it the order's entry on that contact's timeline (the live path's log entry,
 * timeline-log.ts). Batches run with halt=1, so a deal never runs after its contact failed, nor
 * an entry after its deal; whatever did not run is planned again. `apply` records every effect
 * (contact links, deal records, written entries) before the next batch is built.
 */
export class BackfillPlan {
	readonly #customers = new Map<string, CustomerState>();
	readonly #groups: LookupGroup[] = [];
	readonly #attempts = new Map<string, number>();
	#queue: BackfillOrder[];
	readonly #dealIds = new Map<string, string>();
	readonly #logged = new Set<string>();
	/** Entries given up on (their deal stands; the order is not failed for it). */
	readonly #unlogged = new Set<string>();
	done = 0;
	failed = 0;
	logged = 0;
	logsFailed = 0;

	constructor(
		orders: BackfillOrder[],
		private readonly tenantId: string,
		private readonly links: HostLinks,
		private readonly settings: Bitrix24Settings,
	) {
		this.#queue = orders;
		for (const order of orders)
			if (order.dealId) {
				this.#recorded.add(dealKey(order));
				this.#dealIds.set(dealKey(order), order.dealId);
			}
	}

	get pending(): number {
		return this.#queue.length;
	}

	/** Loads links and profiles of the customers in the lookahead window. */
	async prepare(): Promise<void> {
		for (const order of this.#queue.slice(0, LOOKAHEAD)) {
			if (this.#customers.has(order.customerId)) continue;
			const linked = await this.links.contactOf(this.tenantId, order.customerId, CONTACT_IDENTITY);
			const profile = linked ? null : await this.links.profile(this.tenantId, order.customerId);
			const searchable = profile && (profile.phones.length > 0 || profile.emails.length > 0);
			this.#customers.set(order.customerId, {
				profile,
				stage: linked || !searchable ? 'ready' : 'new',
				contactId: linked,
				attempts: 0,
			});
		}
	}

	build(): PlannedBatch {
		const batch: PlannedBatch = {
			commands: {},
			meta: new Map(),
			inflight: { contacts: [], deals: [], logs: [] },
		};
		let n = 0;
		const room = () => MAX_BATCH - Object.keys(batch.commands).length;
		const add = (key: string, command: BatchCommand, meta: Meta) => {
			batch.commands[key] = command;
			batch.meta.set(key, meta);
		};
		// 1. Who is who among contacts the lookups found.
		for (const group of this.#groups) {
			while (group.mapToSend.length > 0 && room() > 0) {
				const ids = group.mapToSend.shift()!;
				const key = `m${n++}`;
				group.mapAwaiting.set(key, ids);
				add(
					key,
					{ method: 'crm.contact.list', params: { filter: { ID: ids }, select: ['ID', 'PHONE', 'EMAIL'] } },
					{ kind: 'map', group, ids },
				);
			}
		}
		// 2. Deals (and missing contacts), in order, up to the first customer still being looked up.
		const creating = new Map<string, string>();
		for (const order of this.#queue) {
			const customer = this.#customers.get(order.customerId);
			if (customer?.stage !== 'ready') break;
			const contactKey = creating.get(order.customerId);
			const key = dealKey(order);
			const dealDone = this.#recorded.has(key);
			if (dealDone && !customer.contactId) {
				// The deal stands but its contact is not linked here: nothing to bind the entry to.
				this.#giveUpLog(key);
				continue;
			}
			const need = (dealDone ? 0 : 1) + 1 + (customer.contactId || contactKey ? 0 : 1);
			if (need > room()) break;
			let contact: number | string = Number(customer.contactId);
			if (!customer.contactId) {
				let key = contactKey;
				if (!key) {
					key = `c${n++}`;
					creating.set(order.customerId, key);
					add(
						key,
						{ method: 'crm.contact.add', params: newContactParams(customer.profile!) },
						{
							kind: 'contact',
							customerId: order.customerId,
						},
					);
					batch.inflight.contacts.push(order.customerId);
				}
				contact = `$result[${key}]`;
			}
			if (!dealDone) {
				add(
					`d${n++}`,
					{ method: 'crm.deal.add', params: newDealParams(this.settings, order, contact) },
					{ kind: 'deal', order },
				);
				batch.inflight.deals.push(key);
			}
			add(
				`l${n++}`,
				{ method: 'crm.timeline.logmessage.add', params: contactLogParams(contact, orderLogEntry(order)) },
				{ kind: 'log', order },
			);
			batch.inflight.logs.push(key);
		}
		// 3. Lookups ahead: resends first, then new groups.
		const findCommand = (group: LookupGroup, type: Find) => {
			const key = `f${n++}`;
			group.toSend.delete(type);
			group.awaiting.add(type);
			add(
				key,
				{
					method: 'crm.duplicate.findbycomm',
					params: { type, values: group.values[type], entity_type: 'CONTACT' },
				},
				{ kind: 'find', group, type },
			);
		};
		for (const group of this.#groups)
			for (const type of [...group.toSend]) if (room() > 0) findCommand(group, type);
		let group: LookupGroup | null = null;
		for (const order of this.#queue.slice(0, LOOKAHEAD)) {
			const customer = this.#customers.get(order.customerId);
			if (customer?.stage !== 'new' || !customer.profile) continue;
			const { phones, emails } = customer.profile;
			const fits =
				group &&
				group.values.PHONE.length + phones.length <= LOOKUP_VALUES &&
				group.values.EMAIL.length + emails.length <= LOOKUP_VALUES;
			if (!fits) {
				// Room for the open group's two commands and the next group's.
				if (room() < (group ? 4 : 2)) break;
				if (group) this.#send(group, findCommand);
				group = newGroup();
				this.#groups.push(group);
			}
			group!.customers.push(order.customerId);
			group!.values.PHONE.push(...phones.slice(0, LOOKUP_VALUES));
			group!.values.EMAIL.push(...emails.slice(0, LOOKUP_VALUES));
			customer.stage = 'looking';
		}
		if (group) this.#send(group, findCommand);
		return batch;
	}

	#send(group: LookupGroup, findCommand: (group: LookupGroup, type: Find) => void) {
		if (group.values.PHONE.length > 0) group.toSend.add('PHONE');
		if (group.values.EMAIL.length > 0) group.toSend.add('EMAIL');
		for (const type of [...group.toSend]) findCommand(group, type);
	}

	/** Records the batch's effects; commands that failed or did not run are planned again. */
	async apply(batch: PlannedBatch, outcome: BatchOutcome): Promise<void> {
		for (const [key, meta] of batch.meta) {
			const ok = key in outcome.results;
			const error = outcome.errors[key];
			if (!ok) {
				this.#retry(meta);
				if (error && !RETRYABLE.has(error.code)) this.#attempt(meta);
				continue;
			}
			await this.#succeed(meta, outcome.results[key]);
		}
		this.#queue = this.#queue.filter((order) => {
			const key = dealKey(order);
			const customer = this.#customers.get(order.customerId);
			if (this.#recorded.has(key)) {
				if ((this.#attempts.get(`log:${key}`) ?? 0) >= MAX_ATTEMPTS) this.#giveUpLog(key);
				return !this.#logged.has(key) && !this.#unlogged.has(key);
			}
			if (customer?.stage === 'failed' || (this.#attempts.get(key) ?? 0) >= MAX_ATTEMPTS) {
				this.failed += 1;
				return false;
			}
			return true;
		});
	}

	readonly #recorded = new Set<string>();

	async #succeed(meta: Meta, result: unknown) {
		if (meta.kind === 'deal') {
			const key = dealKey(meta.order);
			const stage = stageFor(this.settings, meta.order.source, meta.order.status) ?? null;
			// `logged: false` until the entry is written: a later run still owes it.
			await this.links.putRecord(this.tenantId, DEAL_RECORD, key, String(result), {
				stage,
				status: meta.order.status,
				logged: false,
			});
			this.#recorded.add(key);
			this.#dealIds.set(key, String(result));
			this.done += 1;
		} else if (meta.kind === 'log') {
			const key = dealKey(meta.order);
			const stage = stageFor(this.settings, meta.order.source, meta.order.status) ?? null;
			await this.links.putRecord(this.tenantId, DEAL_RECORD, key, this.#dealIds.get(key) ?? '', {
				stage,
				status: meta.order.status,
				logged: true,
			});
			this.#logged.add(key);
			this.logged += 1;
		} else if (meta.kind === 'contact') {
			await this.#link(meta.customerId, String(result));
		} else if (meta.kind === 'find') {
			meta.group.awaiting.delete(meta.type);
			for (const ids of Object.values(DuplicatesSchema.parse(result)))
				for (const id of ids) meta.group.ids.add(id);
			if (meta.group.awaiting.size === 0 && meta.group.toSend.size === 0) {
				const ids = [...meta.group.ids].sort((a, b) => a - b);
				for (let i = 0; i < ids.length; i += MAX_BATCH)
					meta.group.mapToSend.push(ids.slice(i, i + MAX_BATCH));
				await this.#resolve(meta.group);
			}
		} else {
			for (const [key, ids] of meta.group.mapAwaiting)
				if (ids === meta.ids) meta.group.mapAwaiting.delete(key);
			meta.group.rows.push(...z.array(ContactSchema).parse(result));
			await this.#resolve(meta.group);
		}
	}

	/** Once every page is in, each customer takes the lowest-ID contact sharing a phone, else an email. */
	async #resolve(group: LookupGroup) {
		if (group.awaiting.size > 0 || group.toSend.size > 0) return;
		if (group.mapToSend.length > 0 || group.mapAwaiting.size > 0) {
			for (const id of group.customers) this.#customers.get(id)!.stage = 'mapping';
			return;
		}
		const rows = group.rows.slice().sort((a, b) => Number(a.ID) - Number(b.ID));
		for (const customerId of group.customers) {
			const customer = this.#customers.get(customerId)!;
			const phones = new Set(customer.profile?.phones.map(digits));
			const emails = new Set(customer.profile?.emails.map(lower));
			const match =
				rows.find((r) => (r.PHONE ?? []).some((p) => phones.has(digits(p.VALUE)))) ??
				rows.find((r) => (r.EMAIL ?? []).some((e) => emails.has(lower(e.VALUE))));
			if (match) await this.#link(customerId, match.ID);
			else customer.stage = 'ready';
		}
		const at = this.#groups.indexOf(group);
		if (at >= 0) this.#groups.splice(at, 1);
	}

	async #link(customerId: string, contactId: string) {
		await this.links.linkContact(this.tenantId, {
			type: CONTACT_IDENTITY,
			contactId,
			identifiers: [],
			customerId,
		});
		const customer = this.#customers.get(customerId)!;
		customer.contactId = contactId;
		customer.stage = 'ready';
	}

	#giveUpLog(key: string) {
		if (this.#unlogged.has(key) || this.#logged.has(key)) return;
		this.#unlogged.add(key);
		this.logsFailed += 1;
	}

	#retry(meta: Meta) {
		if (meta.kind === 'find') {
			meta.group.awaiting.delete(meta.type);
			meta.group.toSend.add(meta.type);
		} else if (meta.kind === 'map') {
			for (const [key, ids] of meta.group.mapAwaiting)
				if (ids === meta.ids) meta.group.mapAwaiting.delete(key);
			meta.group.mapToSend.push(meta.ids);
		}
	}

	#attempt(meta: Meta) {
		if (meta.kind === 'contact') {
			const customer = this.#customers.get(meta.customerId)!;
			customer.attempts += 1;
			if (customer.attempts >= MAX_ATTEMPTS) customer.stage = 'failed';
		} else if (meta.kind === 'deal' || meta.kind === 'log') {
			const orderKey = meta.kind === 'deal' ? dealKey(meta.order) : `log:${dealKey(meta.order)}`;
			this.#attempts.set(orderKey, (this.#attempts.get(orderKey) ?? 0) + 1);
		} else {
			// A lookup that keeps failing must not block its customers: they get a contact of their own.
			meta.group.attempts += 1;
			if (meta.group.attempts < MAX_ATTEMPTS) return;
			for (const id of meta.group.customers) this.#customers.get(id)!.stage = 'ready';
			const at = this.#groups.indexOf(meta.group);
			if (at >= 0) this.#groups.splice(at, 1);
		}
	}
}

const newGroup = (): LookupGroup => ({
	customers: [],
	values: { PHONE: [], EMAIL: [] },
	toSend: new Set(),
	awaiting: new Set(),
	ids: new Set(),
	mapToSend: [],
	mapAwaiting: new Map(),
	rows: [],
	attempts: 0,
});
