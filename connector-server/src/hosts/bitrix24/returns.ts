import { z } from 'zod';
import type { StoredHostEvent } from '../../core/ports/host-intake.ts';
import type { HostLinks } from '../../core/ports/host-links.ts';
import type { HostPortalStore } from '../../core/ports/host-portals.ts';
import type { OutboxJobInput } from '../../core/ports/outbound.ts';
import type { ReturnTicketInfo, ReturnTickets } from '../../core/ports/returns.ts';
import type { ClientPool } from './client-pool.ts';
import { ensureContact } from './crm-contacts.ts';
import { DEAL_RECORD, dealKey } from './crm-deals.ts';
import { Bitrix24ApiError } from './errors.ts';
import { customerTarget } from './event-mapper.ts';
import type { Bitrix24RestClient } from './rest-client.ts';
import { CrmEventDataSchema, type EventEnvelope } from './schemas.ts';

/**
 * Journey 3 in Bitrix24 (docs/counter.md): a return request becomes a task for the responsible
 * manager (`tasks.task.add`, bound to the contact and the order's deal through UF_CRM_TASK) or a
 * deal in a returns pipeline; the manager's "done" (task completed — status 4 "awaiting control"
 * or 5 — or the deal on the approved stage) approves it; the goods received at the counter add a
 * comment and complete the task (or move the deal to the "returned" stage).
 *
 * Events are lossy (research §6.2): ONTASKUPDATE / ONCRMDEALUPDATE only carry the id, so each one
 * becomes a check job that reads the ticket, and a poll checks every open ticket as well.
 */

export const RETURN_JOB = {
	ticket: 'bitrix24.return.ticket',
	check: 'bitrix24.return.check',
	received: 'bitrix24.return.received',
} as const;

/** Events a portal sends about tickets; bound when returns are configured. */
export const RETURN_EVENTS = ['ONTASKUPDATE', 'ONCRMDEALUPDATE'] as const;

export const ReturnTicketJobSchema = z.object({ returnId: z.string().min(1) });
export const ReturnCheckJobSchema = z.object({ ticketId: z.string().regex(/^(task|deal):\d+$/) });
export const ReturnReceivedJobSchema = z.object({ returnId: z.string().min(1) });

/** Task statuses (tasks.task.get): 4 "supposedly completed" (awaiting the creator), 5 completed. */
const DONE_STATUSES = new Set(['4', '5']);
const COMPLETED = '5';

/** `tasks.task.get`: `{ task: {...} }`, or `[]` when the task does not exist or is not visible. */
const TaskGetSchema = z.union([
	z.object({
		task: z.object({
			id: z.coerce.string(),
			status: z.coerce.string(),
			responsibleId: z.coerce.string().optional(),
		}),
	}),
	z.array(z.unknown()).transform(() => null),
]);
const TaskAddSchema = z.object({ task: z.object({ id: z.coerce.string() }) });
const DealGetSchema = z.object({ ID: z.coerce.string(), STAGE_ID: z.string().nullable().optional() });

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The mapper's part: a request makes a ticket, a counter receipt of an approved return closes it. */
export function returnJobs(s: StoredHostEvent): OutboxJobInput[] {
	const data = s.event.data as Record<string, unknown>;
	if (s.event.type === 'return.requested') {
		return [
			{
				kind: RETURN_JOB.ticket,
				target: customerTarget(s.customerId),
				dedupeKey: `b24:return:ticket:${str(data.returnId)}`,
				payload: { returnId: str(data.returnId) },
			},
		];
	}
	if (s.event.type === 'pos.return' && s.event.sourceKey.startsWith('pos:return:')) {
		const returnId = s.event.sourceKey.slice('pos:return:'.length);
		return [
			{
				kind: RETURN_JOB.received,
				target: customerTarget(s.customerId),
				dedupeKey: `b24:return:received:${returnId}`,
				payload: { returnId },
			},
		];
	}
	return [];
}

/** The intake's part: a task or deal update is a reason to look at that ticket again. */
export function returnEventJobs(
	event: EventEnvelope,
	now: () => number,
): { sourceKey: string; jobs: OutboxJobInput[] } | null {
	let ticketId: string | null = null;
	if (event.event === 'ONTASKUPDATE') {
		const parsed = z
			.object({ FIELDS_AFTER: z.object({ ID: z.coerce.number().int().positive() }) })
			.safeParse(event.data);
		if (parsed.success) ticketId = `task:${parsed.data.FIELDS_AFTER.ID}`;
	} else if (event.event === 'ONCRMDEALUPDATE') {
		const parsed = CrmEventDataSchema.safeParse(event.data);
		if (parsed.success) ticketId = `deal:${parsed.data.FIELDS.ID}`;
	}
	if (!ticketId) return null;
	const ts = event.ts ?? String(now());
	return {
		sourceKey: `bitrix24:${event.event}:${ticketId}:${ts}`,
		jobs: [
			{
				kind: RETURN_JOB.check,
				target: `bitrix24:ticket:${ticketId}`,
				dedupeKey: `b24:return:check:${ticketId}:${ts}`,
				payload: { ticketId },
			},
		],
	};
}

/** Customer text in a BB-code field stays text: brackets cannot open a tag. */
export const bbPlain = (text: string) => text.replace(/\[/g, '(').replace(/\]/g, ')');

function portalOrigin(client: Bitrix24RestClient): string {
	try {
		return new URL(client.portal.clientEndpoint).origin;
	} catch {
		return `https://${client.portal.domain}`;
	}
}

function describe(info: ReturnTicketInfo): { title: string; body: string } {
	const order = info.order ? ` по заказу №${info.order.number}` : '';
	const items = info.items.map((i) => `- ${i.name} × ${i.quantity} (${i.price})`).join('\n');
	const lines = [
		`Возврат ${info.number}${order}.`,
		info.order ? `Заказ: №${info.order.number} (${info.order.source})` : 'Заказ не указан.',
		...(items ? ['Товары:', items] : []),
		...(info.total ? [`Сумма: ${info.total} ${info.currency ?? 'RUB'}`] : []),
		'Причина со слов покупателя:',
		bbPlain(info.reason),
		'',
		'Одобрите возврат, завершив задачу: покупатель получит QR-код для возврата в магазине.',
	];
	return { title: bbPlain(`Возврат ${info.number}${order}`).slice(0, 250), body: lines.join('\n') };
}

export interface ReturnHandlerDeps {
	pool: ClientPool;
	links: HostLinks;
	returns: ReturnTickets;
}

/** Who the ticket goes to: the settings' responsible, else the user the app acts as. */
async function responsibleOf(client: Bitrix24RestClient, info: ReturnTicketInfo): Promise<number> {
	if (info.settings.responsibleId) return info.settings.responsibleId;
	const me = await client.call('user.current', {}, z.object({ ID: z.coerce.number().int() }));
	return me.ID;
}

const stage = (settings: ReturnTicketInfo['settings'], which: 'approved' | 'rejected' | 'returned') => {
	const prefix = settings.categoryId > 0 ? `C${settings.categoryId}:` : '';
	if (which === 'approved') return settings.approvedStageId ?? `${prefix}PREPARATION`;
	if (which === 'rejected') return settings.rejectedStageId ?? `${prefix}LOSE`;
	return settings.returnedStageId ?? `${prefix}WON`;
};

/** Creates the return's task or deal once (a ticket recorded already is kept). */
export async function createTicket(
	deps: ReturnHandlerDeps,
	tenantId: string,
	returnId: string,
): Promise<void> {
	const info = await deps.returns.info(tenantId, returnId);
	if (!info || info.ticket) return;
	const client = await deps.pool.forTenant(tenantId);
	const contactId = await ensureContact(client, deps.links, info.customerId);
	const orderDeal = info.order
		? await deps.links.getRecord(
				tenantId,
				DEAL_RECORD,
				dealKey({ source: info.order.source, orderId: info.order.externalId }),
			)
		: null;
	const responsible = await responsibleOf(client, info);
	const { title, body } = describe(info);
	const origin = portalOrigin(client);
	if (info.settings.mode === 'deal') {
		const key = `return:${returnId}`;
		const found = await client.call(
			'crm.deal.list',
			{ filter: { ORIGINATOR_ID: 'nitka', ORIGIN_ID: key }, select: ['ID'] },
			z.array(z.object({ ID: z.coerce.string() })),
		);
		const dealId =
			found[0]?.ID ??
			(await client.call(
				'crm.deal.add',
				{
					fields: {
						TITLE: title,
						CATEGORY_ID: info.settings.categoryId,
						ASSIGNED_BY_ID: responsible,
						CONTACT_IDS: [Number(contactId)],
						COMMENTS: body,
						...(info.total ? { OPPORTUNITY: info.total, CURRENCY_ID: info.currency ?? 'RUB' } : {}),
						ORIGINATOR_ID: 'nitka',
						ORIGIN_ID: key,
					},
					params: { REGISTER_SONET_EVENT: 'Y' },
				},
				z.coerce.string(),
			));
		await deps.returns.recordTicket(tenantId, returnId, {
			host: 'bitrix24',
			id: `deal:${dealId}`,
			url: `${origin}/crm/deal/details/${dealId}/`,
		});
		return;
	}
	const added = await client.call(
		'tasks.task.add',
		{
			fields: {
				TITLE: title,
				DESCRIPTION: body,
				RESPONSIBLE_ID: responsible,
				// The manager's "done" waits for the app's approval: status 4 approves the return,
				// the app completes the task when the goods are back (research: tasks.task.*).
				TASK_CONTROL: 'Y',
				UF_CRM_TASK: [`C_${contactId}`, ...(orderDeal ? [`D_${orderDeal.remoteId}`] : [])],
			},
		},
		TaskAddSchema,
	);
	const taskId = added.task.id;
	await deps.returns.recordTicket(tenantId, returnId, {
		host: 'bitrix24',
		id: `task:${taskId}`,
		url: `${origin}/company/personal/user/${responsible}/tasks/task/view/${taskId}/`,
	});
}

/** Reads one ticket and approves its return when the ticket says so. */
export async function checkTicket(
	deps: ReturnHandlerDeps,
	client: Bitrix24RestClient,
	tenantId: string,
	ticketId: string,
): Promise<'approved' | 'rejected' | 'unchanged' | 'unknown'> {
	const info = await deps.returns.byTicket(tenantId, 'bitrix24', ticketId);
	if (info?.state !== 'requested') return 'unknown';
	const [kind, id] = ticketId.split(':') as ['task' | 'deal', string];
	if (kind === 'task') {
		const got = await client.call(
			'tasks.task.get',
			{ taskId: Number(id), select: ['ID', 'STATUS'] },
			TaskGetSchema,
		);
		if (!got || !DONE_STATUSES.has(got.task.status)) return 'unchanged';
	} else {
		let deal: z.infer<typeof DealGetSchema>;
		try {
			deal = await client.call('crm.deal.get', { id: Number(id) }, DealGetSchema);
		} catch (error) {
			if (error instanceof Bitrix24ApiError) return 'unchanged';
			throw error;
		}
		if (deal.STAGE_ID === stage(info.settings, 'rejected'))
			return await deps.returns.reject(tenantId, info.returnId, `bitrix24:${ticketId}`);
		if (deal.STAGE_ID !== stage(info.settings, 'approved')) return 'unchanged';
	}
	return await deps.returns.approve(tenantId, info.returnId, `bitrix24:${ticketId}`);
}

/** The goods are back: a comment, and the task completed (or the deal moved to "returned"). */
export async function closeTicket(
	deps: ReturnHandlerDeps,
	tenantId: string,
	returnId: string,
): Promise<void> {
	const info = await deps.returns.info(tenantId, returnId);
	const ticket = info?.ticket;
	if (!info || !ticket || ticket.host !== 'bitrix24') return;
	const client = await deps.pool.forTenant(tenantId);
	const [kind, id] = ticket.id.split(':') as ['task' | 'deal', string];
	const where = info.receivedAt?.location ? ` в магазине «${bbPlain(info.receivedAt.location)}»` : '';
	const comment = `Товар по возврату ${info.number} принят${where}. Покупатель уведомлён в чате.`;
	if (kind === 'task') {
		await client.call(
			'task.commentitem.add',
			{ TASKID: Number(id), FIELDS: { POST_MESSAGE: comment } },
			z.unknown(),
		);
		const got = await client.call(
			'tasks.task.get',
			{ taskId: Number(id), select: ['ID', 'STATUS'] },
			TaskGetSchema,
		);
		if (got && got.task.status !== COMPLETED) {
			await client.call('tasks.task.complete', { taskId: Number(id) }, z.unknown());
		}
		return;
	}
	await client.call(
		'crm.timeline.comment.add',
		{ fields: { ENTITY_ID: Number(id), ENTITY_TYPE: 'deal', COMMENT: comment } },
		z.unknown(),
	);
	await client.call(
		'crm.deal.update',
		{ id: Number(id), fields: { STAGE_ID: stage(info.settings, 'returned') } },
		z.unknown(),
	);
}

/** Binds the ticket events (online, and offline for the reconciler); binding twice is harmless. */
export async function bindReturnEvents(client: Bitrix24RestClient, eventsUrl: string): Promise<void> {
	for (const event of RETURN_EVENTS) {
		for (const params of [
			{ event, handler: eventsUrl },
			{ event, handler: `${eventsUrl}?offline=1`, event_type: 'offline' },
		]) {
			try {
				await client.call('event.bind', params, z.unknown());
			} catch (error) {
				// "Handler already binded" (ERROR_CORE) is what a second save gets.
				if (!(error instanceof Bitrix24ApiError && error.code === 'ERROR_CORE')) throw error;
			}
		}
	}
}

/** The reconcile poll: every open ticket of every active portal is read again. */
export function createReturnPoll(
	deps: ReturnHandlerDeps & { store: HostPortalStore; onError: (e: unknown) => void },
) {
	return {
		async runOnce(): Promise<number> {
			let approved = 0;
			for (const portal of await deps.store.listActive('bitrix24')) {
				try {
					const open = await deps.returns.openTickets(portal.tenantId, 'bitrix24', 100);
					if (open.length === 0) continue;
					const client = await deps.pool.forPortal(portal);
					for (const { ticketId } of open) {
						if ((await checkTicket(deps, client, portal.tenantId, ticketId)) === 'approved') approved += 1;
					}
				} catch (error) {
					deps.onError(error);
				}
			}
			return approved;
		},
	};
}
