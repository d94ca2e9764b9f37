import type { NextFunction, Request, Response } from 'express';
import type { Fault, FaultInjector } from '../kit/index.ts';

export type ResponseFault = Exclude<Fault, { kind: 'latency' } | { kind: 'drop' }>;

/**
 * Applies injected faults to a request, matched by its path. Latency is waited out here; any other fault is
 * rendered by the platform's own `render`, so a 429 or a dead key looks exactly as that platform sends it.
 */
export function faultMiddleware(
	faults: FaultInjector,
	render: (fault: ResponseFault, res: Response) => void,
) {
	return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
		const fault = await faults.apply(req.path);
		if (!fault || fault.kind === 'drop') return next();
		render(fault, res);
	};
}
