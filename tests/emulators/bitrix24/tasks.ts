import type { Clock } from '../kit/index.ts';
import type { EventDispatcher } from './events.ts';
import type { MethodContext, MethodGroup } from './method-types.ts';
import type { PhpRecord } from './php-query.ts';
import type { PortalState } from './portal-state.ts';
import { isoWithOffset, RestError } from './rest-envelope.ts';

/**
 * Tasks (`tasks.task.*`, `task.commentitem.*`) as the REST docs describe them: `tasks.task.add`
 * answers `{ task }` in camelCase with string numbers, `tasks.task.get` answers `[]` for a task
 * that does not exist, UF_CRM_TASK (`C_7`, `D_10`…) is returned only when selected, statuses are
 * 2 pending, 3 in progress, 4 supposedly completed (TASK_CONTROL: the creator must accept), 5
 * completed, 6 deferred. Every change fires ONTASKUPDATE with only `FIELDS_AFTER[ID]`.
 */

export interface EmulatedTask {
	ID: number;
	TITLE: string;
	DESCRIPTION: string;
	RESPONSIBLE_ID: number;
	CREATED_BY: number;
	STATUS: number;
	TASK_CONTROL: 'Y' | 'N';
	UF_CRM_TASK: string[];
	DEADLINE: string | null;
	createdMs: number;
	changedMs: number;
	closedMs: number | null;
	comments: { ID: number; AUTHOR_ID: number; POST_MESSAGE: string; postedMs: number }[];
}

const stores = new WeakMap<PortalState, Map<number, EmulatedTask>>();

/** The portal's tasks (tests read them for assertions). */
export function tasksOf(portal: PortalState): Map<number, EmulatedTask> {
	let store = stores.get(portal);
	if (!store) {
		store = new Map();
		stores.set(portal, store);
	}
	return store;
}

const coreError = (text: string) => new RestError('ERROR_CORE', `${text}<br>`, 400);
const list = (value: unknown): unknown[] =>
	Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [];
const yn = (value: unknown): 'Y' | 'N' =>
	value === 'Y' || value === true || value === 1 || value === '1' ? 'Y' : 'N';

function render(task: EmulatedTask, offsetMinutes: number, select?: string[]): Record<string, unknown> {
	const at = (ms: number | null) => (ms === null ? null : isoWithOffset(ms, offsetMinutes));
	const base: Record<string, unknown> = {
		id: String(task.ID),
		title: task.TITLE,
		description: task.DESCRIPTION,
		status: String(task.STATUS),
		responsibleId: String(task.RESPONSIBLE_ID),
		createdBy: String(task.CREATED_BY),
		taskControl: task.TASK_CONTROL,
		deadline: task.DEADLINE,
		createdDate: at(task.createdMs),
		changedDate: at(task.changedMs),
		closedDate: at(task.closedMs),
		commentsCount: task.comments.length > 0 ? String(task.comments.length) : null,
		descriptionInBbcode: 'Y',
	};
	const wanted = select?.map((s) => s.toUpperCase());
	// UF_CRM_TASK only when selected by name (DOCS tasks-task-get.md).
	if (wanted?.includes('UF_CRM_TASK')) base.ufCrmTask = [...task.UF_CRM_TASK];
	if (!wanted || wanted.includes('*')) return base;
	const camel = (name: string) => name.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
	const picked: Record<string, unknown> = { id: base.id };
	for (const name of wanted) {
		const key = camel(name);
		if (key in base) picked[key] = base[key];
	}
	return picked;
}

function taskIdOf(params: PhpRecord): number {
	const raw = params.taskId ?? params.TASKID ?? params.id ?? params.ID;
	const id = Number(raw);
	if (!Number.isInteger(id) || id <= 0) throw new RestError('0', 'wrong task id', 400);
	return id;
}

function findTask(context: MethodContext): EmulatedTask {
	const task = tasksOf(context.portal).get(taskIdOf(context.params));
	if (!task) throw coreError('Task not found or not accessible');
	return task;
}

const updateEvent = (id: number): PhpRecord => ({
	FIELDS_BEFORE: { ID: String(id) },
	FIELDS_AFTER: { ID: String(id) },
	IS_ACCESSIBLE_BEFORE: 'undefined',
	IS_ACCESSIBLE_AFTER: 'undefined',
});

/** "Complete" by a user: with TASK_CONTROL a responsible who did not create the task only submits it (4). */
export function completeTask(task: EmulatedTask, userId: number, now: number): void {
	task.STATUS = task.TASK_CONTROL === 'Y' && userId !== task.CREATED_BY ? 4 : 5;
	task.changedMs = now;
	if (task.STATUS === 5) task.closedMs = now;
}

export const taskMethods: MethodGroup = {
	'tasks.task.add': {
		scope: 'task',
		handler: (context) => {
			const fields = context.params.fields;
			if (!fields || typeof fields !== 'object' || Object.keys(fields).length === 0)
				throw new RestError('100', 'Could not find value for parameter {fields} (internal error)', 400);
			const f = fields as PhpRecord;
			const title = String(f.TITLE ?? '').trim();
			if (!title) throw coreError('Task title not specified');
			if (f.RESPONSIBLE_ID === undefined || f.RESPONSIBLE_ID === '')
				throw coreError('Assignee not specified');
			const responsible = Number(f.RESPONSIBLE_ID);
			if (!context.portal.users.has(responsible))
				throw coreError('User specified in the "Assignee" field not found');
			const now = context.clock.now();
			const task: EmulatedTask = {
				ID: context.portal.nextId('task'),
				TITLE: title,
				DESCRIPTION: String(f.DESCRIPTION ?? ''),
				RESPONSIBLE_ID: responsible,
				CREATED_BY: f.CREATED_BY !== undefined ? Number(f.CREATED_BY) : context.caller.userId,
				STATUS: 2,
				TASK_CONTROL: yn(f.TASK_CONTROL),
				UF_CRM_TASK: list(f.UF_CRM_TASK).map(String),
				DEADLINE: f.DEADLINE ? String(f.DEADLINE) : null,
				createdMs: now,
				changedMs: now,
				closedMs: null,
				comments: [],
			};
			tasksOf(context.portal).set(task.ID, task);
			context.emit('ONTASKADD', {
				FIELDS_BEFORE: 'undefined',
				FIELDS_AFTER: { ID: String(task.ID) },
				IS_ACCESSIBLE_BEFORE: 'N',
				IS_ACCESSIBLE_AFTER: 'undefined',
			});
			return { result: { task: render(task, context.portal.offsetMinutes) } };
		},
	},
	'tasks.task.get': {
		scope: 'task',
		handler: (context) => {
			const task = tasksOf(context.portal).get(taskIdOf(context.params));
			// A missing or invisible task is an empty array, not an error (DOCS tasks-task-get.md).
			if (!task) return { result: [] };
			const select =
				context.params.select === undefined ? undefined : list(context.params.select).map(String);
			return { result: { task: render(task, context.portal.offsetMinutes, select) } };
		},
	},
	'tasks.task.update': {
		scope: 'task',
		handler: (context) => {
			const task = findTask(context);
			const fields = context.params.fields as PhpRecord | undefined;
			if (!fields || Object.keys(fields).length === 0)
				throw new RestError('100', 'Could not find value for parameter {fields} (internal error)', 400);
			if (fields.TITLE !== undefined) task.TITLE = String(fields.TITLE);
			if (fields.DESCRIPTION !== undefined) task.DESCRIPTION = String(fields.DESCRIPTION);
			if (fields.RESPONSIBLE_ID !== undefined) task.RESPONSIBLE_ID = Number(fields.RESPONSIBLE_ID);
			if (fields.UF_CRM_TASK !== undefined) task.UF_CRM_TASK = list(fields.UF_CRM_TASK).map(String);
			if (fields.STATUS !== undefined) {
				const status = Number(fields.STATUS);
				if (![2, 3, 4, 5, 6].includes(status)) throw coreError('Invalid status');
				task.STATUS = status;
			}
			task.changedMs = context.clock.now();
			context.emit('ONTASKUPDATE', updateEvent(task.ID));
			return { result: { task: render(task, context.portal.offsetMinutes) } };
		},
	},
	'tasks.task.complete': {
		scope: 'task',
		handler: (context) => {
			const task = findTask(context);
			if (task.STATUS !== 5) {
				completeTask(task, context.caller.userId, context.clock.now());
				context.emit('ONTASKUPDATE', updateEvent(task.ID));
			}
			return { result: { task: render(task, context.portal.offsetMinutes) } };
		},
	},
	'tasks.task.approve': {
		scope: 'task',
		handler: (context) => {
			const task = findTask(context);
			if (task.STATUS !== 4 || context.caller.userId !== task.CREATED_BY)
				throw coreError('Action is not allowed');
			task.STATUS = 5;
			task.closedMs = context.clock.now();
			task.changedMs = task.closedMs;
			context.emit('ONTASKUPDATE', updateEvent(task.ID));
			return { result: { task: render(task, context.portal.offsetMinutes) } };
		},
	},
	'task.commentitem.add': {
		scope: 'task',
		handler: (context) => {
			const task = tasksOf(context.portal).get(taskIdOf(context.params));
			if (!task) throw coreError('Insufficient permissions to add a comment');
			const fields = (context.params.FIELDS ?? context.params.fields) as PhpRecord | undefined;
			const text = String(fields?.POST_MESSAGE ?? '').trim();
			if (!text) throw coreError('Comment text not specified');
			const comment = {
				ID: context.portal.nextId('task-comment'),
				AUTHOR_ID: fields?.AUTHOR_ID !== undefined ? Number(fields.AUTHOR_ID) : context.caller.userId,
				POST_MESSAGE: text,
				postedMs: context.clock.now(),
			};
			task.comments.push(comment);
			context.emit('ONTASKCOMMENTADD', {
				FIELDS_AFTER: { ID: String(comment.ID), TASK_ID: String(task.ID) },
			});
			return { result: comment.ID };
		},
	},
	'task.commentitem.getlist': {
		scope: 'task',
		handler: (context) => {
			const task = tasksOf(context.portal).get(taskIdOf(context.params));
			if (!task) throw coreError('Task not found or not accessible');
			return {
				result: task.comments.map((c) => ({
					ID: String(c.ID),
					AUTHOR_ID: String(c.AUTHOR_ID),
					POST_MESSAGE: c.POST_MESSAGE,
					POST_DATE: isoWithOffset(c.postedMs, context.portal.offsetMinutes),
				})),
			};
		},
	},
};

/**
 * A user completes a task in the portal's UI (the responsible presses "Complete"): the same state
 * change as `tasks.task.complete` by that user, and ONTASKUPDATE to the bound handlers (which a
 * `drop` fault on ONTASKUPDATE can lose, as the real queue may).
 */
export async function completeTaskAsUser(
	portal: PortalState,
	events: EventDispatcher,
	clock: Clock,
	taskId: number,
	userId: number,
): Promise<EmulatedTask> {
	const task = tasksOf(portal).get(taskId);
	if (!task) throw new Error(`no task ${taskId}`);
	completeTask(task, userId, clock.now());
	await events.emit(portal, 'ONTASKUPDATE', updateEvent(task.ID), { userId });
	return task;
}

/** A user drags a deal to another stage in the UI: ONCRMDEALUPDATE with only `FIELDS[ID]`. */
export async function moveDealAsUser(
	portal: PortalState,
	events: EventDispatcher,
	clock: Clock,
	dealId: number,
	stageId: string,
): Promise<void> {
	const deal = portal.crm.get(2, dealId);
	if (!deal) throw new Error(`no deal ${dealId}`);
	deal.fields.STAGE_ID = stageId;
	deal.modifiedMs = clock.now();
	await events.emit(portal, 'ONCRMDEALUPDATE', { FIELDS: { ID: String(dealId) } });
}
