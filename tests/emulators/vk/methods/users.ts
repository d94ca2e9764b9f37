import { VkApiError } from '../errors.ts';
import type { MethodTable } from '../method-context.ts';

export const usersMethods: MethodTable = {
	/** users.get: ids or `id<N>` screen names; unknown ids are skipped, none known → 113. */
	'users.get': (ctx) => {
		const raw = ctx.params.user_ids ?? ctx.params.user_id;
		if (raw === undefined || raw === '') return [];
		const wanted = raw
			.split(',')
			.map((part) => part.trim())
			.filter(Boolean);
		const found = wanted.flatMap((token) => {
			const id = Number(/^(?:id)?(\d+)$/.exec(token)?.[1]);
			const profile = ctx.state.users.get(id);
			return profile ? [{ ...profile, can_access_closed: true, is_closed: false }] : [];
		});
		if (found.length === 0) throw new VkApiError(113);
		return found;
	},
};
