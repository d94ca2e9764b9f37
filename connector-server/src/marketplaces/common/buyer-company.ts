import { type BuyerCompany, BuyerCompanySchema } from '@nitka/shared';

/**
 * A business buyer's requisites from any marketplace's own field names. An INN that is not 10 or
 * 12 digits names no company (it would become an identifier); a malformed KPP is dropped alone,
 * since the order still belongs to the company the INN names.
 */
export function buyerCompany(raw: {
	inn?: string | null | undefined;
	kpp?: string | null | undefined;
	name?: string | null | undefined;
}): BuyerCompany | undefined {
	const inn = raw.inn?.trim();
	const kpp = raw.kpp?.trim().toUpperCase();
	const name = raw.name?.trim().slice(0, 300);
	const full = BuyerCompanySchema.safeParse({ inn, kpp: kpp || undefined, name: name || undefined });
	if (full.success) return full.data;
	const withoutKpp = BuyerCompanySchema.safeParse({ inn, name: name || undefined });
	return withoutKpp.success ? withoutKpp.data : undefined;
}
