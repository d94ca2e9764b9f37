import type { NextFunction, Request, Response } from 'express';
import { sendYmError } from './errors.ts';
import type { YmState } from './state.ts';

/** `Api-Key: <token>` or OAuth `Authorization: Bearer <token>` (research §7.1); both map to one business. */
export function ymAuth(state: YmState) {
	return (req: Request, res: Response, next: NextFunction) => {
		const token = req.header('api-key') ?? req.header('authorization')?.replace(/^(Bearer|OAuth)\s+/i, '');
		const businessId = token ? state.keys.get(token) : undefined;
		if (businessId === undefined)
			return sendYmError(res, 401, 'UNAUTHORIZED', 'Api-Key is missing or invalid');
		res.locals.businessId = businessId;
		const business = /^\/v\d+\/businesses\/(\d+)/.exec(req.path);
		const campaign = /^\/v\d+\/campaigns\/(\d+)/.exec(req.path);
		const owns = business
			? Number(business[1]) === businessId
			: campaign
				? state.campaigns.get(Number(campaign[1]))?.businessId === businessId
				: true;
		if (!owns) return sendYmError(res, 403, 'FORBIDDEN', 'Access denied to this business or campaign');
		next();
	};
}

/** The limit scope of a request: its campaign, its business, or else the token owner (research §7.2). */
export function limitScope(req: Request, res: Response): { key: string; label: string } {
	const campaign = /^\/v\d+\/campaigns\/(\d+)/.exec(req.path);
	if (campaign) return { key: `campaign:${campaign[1]}`, label: `campaignId ${campaign[1]}` };
	const business = /^\/v\d+\/businesses\/(\d+)/.exec(req.path);
	if (business) return { key: `business:${business[1]}`, label: `businessId ${business[1]}` };
	return { key: `owner:${String(res.locals.businessId)}`, label: 'token owner' };
}
