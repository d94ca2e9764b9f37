import { type Logger, pino } from 'pino';
import { maskPersonalData, maskString } from './personal-data.ts';

export type { Logger };

/**
 * pino with personal data masked in every record and message. Request bodies are never logged;
 * request logs carry method, route, status and the request id only.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
	return pino(
		{
			level,
			base: { service: 'nitka-connector' },
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: {
				log: (object) => maskPersonalData(object) as Record<string, unknown>,
			},
			hooks: {
				logMethod(args, method) {
					const masked = args.map((arg) => (typeof arg === 'string' ? maskString(arg) : arg));
					method.apply(this, masked as Parameters<typeof method>);
				},
			},
		},
		destination,
	);
}
