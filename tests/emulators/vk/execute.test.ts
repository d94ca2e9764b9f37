import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator, type VkUser } from './index.ts';
import { callApi } from './test-receiver.ts';

// Samples: channels.md §3.2 (execute = up to 25 calls) and §3.8 (`{response, execute_errors}`).
describe('execute (channels.md §3.2, §3.8)', () => {
	let vk: VkEmulator;
	let club: VkCommunityHandle;
	let anna: VkUser;
	const execute = (code: string) =>
		callApi(vk.url, 'execute', { v: '5.199', access_token: club.token, code });

	beforeEach(async () => {
		vk = await startVkEmulator();
		club = vk.createCommunity();
		anna = vk.createUser({ first_name: 'Anna', last_name: 'Smirnova' });
		anna.write(club.id, 'hi');
	});
	afterEach(async () => {
		await vk.close();
	});

	it('runs a `return [API.method({...}), ...];` list and answers {response}', async () => {
		const result = await execute(
			`return [API.messages.send({"peer_id":${anna.id},"random_id":1,"message":"one"}), API.users.get({user_ids: ${anna.id}})];`,
		);
		expect(result).toEqual({
			response: [
				expect.any(Number),
				[
					{
						id: anna.id,
						first_name: 'Anna',
						last_name: 'Smirnova',
						can_access_closed: true,
						is_closed: false,
					},
				],
			],
		});
		expect(club.sentTo(anna.id)).toHaveLength(1);
	});

	it('puts false in place of a failed call and lists it in execute_errors', async () => {
		const silent = vk.createUser();
		const result = await execute(
			`return [API.messages.send({peer_id: ${silent.id}, random_id: 2, message: 'x'}), API.messages.send({peer_id: ${anna.id}, random_id: 3, message: 'y'})];`,
		);
		expect(result).toEqual({
			response: [false, expect.any(Number)],
			execute_errors: [
				{
					method: 'messages.send',
					error_code: 901,
					error_msg: "Can't send messages for users without permission",
				},
			],
		});
	});

	it('supports variables, fields, @. and indexes', async () => {
		const result = await execute(`var users = API.users.get({user_ids: "${anna.id}"});
			var name = users[0].first_name + " " + users@.last_name[0];
			return {name: name, count: 1 + 1};`);
		expect(result).toEqual({ response: { name: 'Anna Smirnova', count: 2 } });
	});

	it('fails with 13 on more than 25 API calls and on runtime errors, 12 on code it cannot compile', async () => {
		const tooMany = `return [${Array.from({ length: 26 }, () => 'API.users.get({})').join(',')}];`;
		expect((await execute(tooMany)).error).toMatchObject({
			error_code: 13,
			error_msg: 'Runtime error occurred during code invocation: Too many API calls',
		});
		const exactly25 = `return [${Array.from({ length: 25 }, () => 'API.users.get({})').join(',')}];`;
		expect((await execute(exactly25)).response).toHaveLength(25);
		expect((await execute('return missing.value;')).error).toMatchObject({ error_code: 13 });
		expect((await execute('while (true) { }')).error).toMatchObject({
			error_code: 12,
			error_msg: expect.stringMatching(/^Unable to compile code/),
		});
	});
});
