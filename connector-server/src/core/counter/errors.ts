import { NitkaError } from '../errors.ts';

/**
 * The counter's refusals (docs/counter.md). Each has its own machine code, so the counter screen
 * can say what happened in the staff's language: a replayed QR, an expired one, a code used twice.
 */
export class CounterError extends NitkaError {}

/** A QR that is not ours: malformed, forged, or another shop's. */
export class TokenInvalidError extends CounterError {
	constructor(message = 'this QR code is not valid for this shop') {
		super('token-invalid', 400, message);
	}
}

export class TokenExpiredError extends CounterError {
	constructor(message = 'this QR code has expired; ask the customer to open their card again') {
		super('token-expired', 410, message);
	}
}

/** A single-use QR shown a second time (a screenshot, a replay). */
export class TokenUsedError extends CounterError {
	constructor(message = 'this QR code was already used; ask the customer to open their card again') {
		super('token-used', 409, message);
	}
}

export class IdempotencyKeyReusedError extends CounterError {
	constructor() {
		super('idempotency-key-reused', 422, 'this Idempotency-Key was already used for a different request');
	}
}

export class IdempotencyKeyRequiredError extends CounterError {
	constructor() {
		super(
			'idempotency-key-required',
			400,
			'send an Idempotency-Key header (one per confirmed action, 1–200 characters of [A-Za-z0-9_.:-])',
		);
	}
}

export class CodeUnknownError extends CounterError {
	constructor() {
		super('code-unknown', 404, 'no such promo code');
	}
}

export class CodeRedeemedError extends CounterError {
	constructor() {
		super('code-redeemed', 409, 'this promo code was already redeemed');
	}
}

export class CodeExpiredError extends CounterError {
	constructor() {
		super('code-expired', 410, 'this promo code has expired');
	}
}

export class CodeOtherCustomerError extends CounterError {
	constructor() {
		super('code-other-customer', 409, 'this promo code was issued to another customer');
	}
}

export class CustomerUnknownError extends CounterError {
	constructor() {
		super('customer-unknown', 404, 'no customer with that phone or card');
	}
}

export class PickupStateError extends CounterError {
	constructor(message: string) {
		super('pickup-state', 409, message);
	}
}

export class ReturnStateError extends CounterError {
	constructor(message: string) {
		super('return-state', 409, message);
	}
}
