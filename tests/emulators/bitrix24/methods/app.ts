import type { MethodGroup } from '../method-types.ts';
import { RestError } from '../rest-envelope.ts';

/** `app.info`, `profile`, `user.current`: who the caller is and whether the install is finished. */
export const appMethods: MethodGroup = {
	'app.info': {
		handler: ({ caller, portal, app }) => {
			if (caller.kind !== 'oauth' || !caller.appId) {
				throw new RestError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method', 403);
			}
			const definition = app(caller.appId);
			const install = portal.installs.get(caller.appId);
			return {
				result: {
					ID: 1,
					CODE: caller.appId,
					VERSION: Number(definition?.version ?? 1),
					STATUS: definition?.status ?? 'L',
					INSTALLED: install?.installed ?? false,
					PAYMENT_EXPIRED: 'N',
					DAYS: null,
					LANGUAGE_ID: portal.language,
					LICENSE: `${portal.language}_project`,
					LICENSE_TYPE: 'project',
					LICENSE_FAMILY: 'project',
				},
			};
		},
	},
	profile: {
		handler: ({ caller, portal }) => {
			const user = portal.users.get(caller.userId);
			return {
				result: {
					ID: String(caller.userId),
					ADMIN: user?.ADMIN ?? false,
					NAME: user?.NAME ?? '',
					LAST_NAME: user?.LAST_NAME ?? '',
					PERSONAL_GENDER: '',
					TIME_ZONE: user?.TIME_ZONE ?? '',
					TIME_ZONE_OFFSET: portal.offsetMinutes * 60,
				},
			};
		},
	},
	'user.current': {
		handler: ({ caller, portal }) => {
			const user = portal.users.get(caller.userId);
			return {
				result: {
					ID: String(caller.userId),
					XML_ID: null,
					ACTIVE: true,
					NAME: user?.NAME ?? '',
					LAST_NAME: user?.LAST_NAME ?? '',
					EMAIL: user?.EMAIL ?? '',
					LAST_LOGIN: null,
					TIME_ZONE: user?.TIME_ZONE ?? '',
					IS_ONLINE: 'Y',
					USER_TYPE: 'employee',
				},
			};
		},
	},
};
