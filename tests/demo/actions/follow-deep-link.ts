import { LinkTokenResultSchema } from '@nitka/shared';
import { z } from 'zod';
import { accountId, MessengerSchema, PersonaIdSchema, personas } from '../personas.ts';
import { customerPlayers } from './customer-players.ts';
import { DemoConflictError, defineAction } from './define-action.ts';
import { findCustomer } from './find-customer.ts';

const Input = z
	.object({ persona: PersonaIdSchema, from: MessengerSchema, to: MessengerSchema })
	.refine((i) => i.from !== i.to, { message: 'pick two different messengers', path: ['to'] });

/**
 * The shop sends a customer it knows (from one messenger) a deep link; the persona opens it in
 * another messenger, which ties that account to the same customer.
 */
export const followDeepLink = defineAction({
	input: Input,
	async run({ platforms, api }, { persona, from, to }) {
		const who = personas[persona];
		const known = await findCustomer(api, from, accountId(who, from));
		if (!known) throw new DemoConflictError(`write from ${from} first: Nitka does not know this account yet`);
		const link = await api.call('POST', '/links', LinkTokenResultSchema, {
			customerId: known.id,
			ttlSeconds: 600,
		});
		if (to === 'telegram') customerPlayers.telegram(platforms, who).start(link.token);
		else if (to === 'max') customerPlayers.max(platforms, who).start(link.token);
		else {
			const user = customerPlayers.vk(platforms, who);
			user.followLink(platforms.club.id, { ref: link.token, ref_source: 'nitka-demo' });
			user.write(platforms.club.id, 'Здравствуйте! Я по ссылке из магазина.');
		}
		return { url: link.links.find((l) => l.channel === to)?.url ?? null, customerId: known.id };
	},
});
