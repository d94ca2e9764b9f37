import { z } from 'zod';

/** Nitka's own ids: ULIDs (sortable by creation time), 26 Crockford base32 characters. */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'expected a 26-character ULID');
/** Timestamps cross every boundary as ISO 8601 strings in UTC. */
export const TimestampSchema = z.iso.datetime({ offset: true });
/** Money as a decimal string in the currency's major unit ("1499.90"), never a float. */
export const MoneySchema = z.string().regex(/^-?\d+(\.\d{1,2})?$/, 'expected a decimal amount like 1499.90');
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code like RUB');

export type Id = z.infer<typeof IdSchema>;
export type Timestamp = z.infer<typeof TimestampSchema>;
