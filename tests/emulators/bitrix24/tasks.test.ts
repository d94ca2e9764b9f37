import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeTaskAsUser, createManualClock, tasksOf } from './index.ts';
import { installedPortal } from './test-fixtures.ts';

let ctx: Awaited<ReturnType<typeof installedPortal>>;
beforeEach(async () => {
	ctx = await installedPortal(
		{ clock: createManualClock(Date.UTC(2026, 10, 23, 10, 0, 0)) },
		{ scope: 'crm,imopenlines,imconnector,im,placement,user_brief,task' },
	);
});
afterEach(async () => ctx.close());

describe('tasks.task.* and task.commentitem.* (REST docs: tasks)', () => {
	it('adds a task as the docs answer it; refuses no title, no or unknown assignee', async () => {
		const added = await ctx.call('tasks.task.add', {
			fields: { TITLE: 'Возврат R-1', DESCRIPTION: 'text', RESPONSIBLE_ID: 27, UF_CRM_TASK: ['C_7', 'D_10'] },
		});
		expect(added.status).toBe(200);
		expect(added.body.result).toMatchObject({
			task: { id: '1', title: 'Возврат R-1', status: '2', responsibleId: '27', createdBy: '1' },
		});
		// UF_CRM_TASK only when selected.
		expect((added.body.result as { task: Record<string, unknown> }).task.ufCrmTask).toBeUndefined();
		const got = await ctx.call('tasks.task.get', { taskId: 1, select: ['ID', 'STATUS', 'UF_CRM_TASK'] });
		expect(got.body.result).toEqual({ task: { id: '1', status: '2', ufCrmTask: ['C_7', 'D_10'] } });
		expect((await ctx.call('tasks.task.get', { taskId: 99 })).body.result).toEqual([]);

		expect((await ctx.call('tasks.task.add', { fields: { RESPONSIBLE_ID: 1 } })).body).toMatchObject({
			error: 'ERROR_CORE',
			error_description: 'Task title not specified<br>',
		});
		expect((await ctx.call('tasks.task.add', { fields: { TITLE: 'x' } })).body.error_description).toBe(
			'Assignee not specified<br>',
		);
		expect(
			(await ctx.call('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 404 } })).body
				.error_description,
		).toBe('User specified in the "Assignee" field not found<br>');
	});

	it('needs the task scope', async () => {
		await ctx.close();
		ctx = await installedPortal();
		expect((await ctx.call('tasks.task.add', { fields: { TITLE: 'x', RESPONSIBLE_ID: 1 } })).body.error).toBe(
			'insufficient_scope',
		);
	});

	it('TASK_CONTROL: the responsible’s "complete" is status 4, the creator’s is 5; ONTASKUPDATE carries only the id', async () => {
		const handler = `${ctx.receiver.url}/events/`;
		await ctx.call('event.bind', { event: 'OnTaskUpdate', handler });
		await ctx.call('tasks.task.add', { fields: { TITLE: 'Возврат', RESPONSIBLE_ID: 27, TASK_CONTROL: 'Y' } });
		const { state } = ctx.emulator.portal();
		const task = await completeTaskAsUser(state, ctx.emulator.events, ctx.emulator.clock, 1, 27);
		expect(task.STATUS).toBe(4);
		await ctx.emulator.settled();
		const posts = ctx.receiver.posts('/events/');
		expect(posts.at(-1)?.form).toMatchObject({
			event: 'ONTASKUPDATE',
			data: { FIELDS_AFTER: { ID: '1' }, FIELDS_BEFORE: { ID: '1' } },
		});
		expect(
			(await ctx.call('task.commentitem.add', { TASKID: 1, FIELDS: { POST_MESSAGE: 'Принято' } })).body
				.result,
		).toBe(1);
		const done = await ctx.call('tasks.task.complete', { taskId: 1 });
		expect((done.body.result as { task: { status: string } }).task.status).toBe('5');
		expect(
			tasksOf(state)
				.get(1)
				?.comments.map((c) => c.POST_MESSAGE),
		).toEqual(['Принято']);
		expect(
			(await ctx.call('task.commentitem.add', { TASKID: 1, FIELDS: { POST_MESSAGE: ' ' } })).body.error,
		).toBe('ERROR_CORE');
	});
});
