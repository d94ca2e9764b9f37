/**
 * The few error classes the whole server uses. Each knows its machine code and HTTP status;
 * the HTTP layer turns any of them into RFC 9457 problem JSON in one place.
 */
export class NitkaError extends Error {
	constructor(
		readonly code: string,
		readonly status: number,
		message: string,
		options?: { cause?: unknown; errors?: { path: string; message: string }[] },
	) {
		super(message, options?.cause === undefined ? undefined : { cause: options.cause });
		this.errors = options?.errors;
	}
	readonly errors: { path: string; message: string }[] | undefined;
	override get name(): string {
		return this.constructor.name;
	}
}

/** Input that does not match its schema; `errors` names each wrong field. */
export class ValidationError extends NitkaError {
	constructor(message: string, errors: { path: string; message: string }[] = [], cause?: unknown) {
		super('validation_failed', 400, message, { errors, cause });
	}
}

export class AuthenticationError extends NitkaError {
	constructor(message = 'missing or invalid credentials') {
		super('unauthenticated', 401, message);
	}
}

export class ForbiddenError extends NitkaError {
	constructor(message = 'this key may not act on that tenant') {
		super('forbidden', 403, message);
	}
}

export class NotFoundError extends NitkaError {
	constructor(what: string) {
		super('not_found', 404, `${what} not found`);
	}
}

export class ConflictError extends NitkaError {
	constructor(message: string) {
		super('conflict', 409, message);
	}
}

/** A dependency is over its limit for now; the answer carries `Retry-After`. */
export class UnavailableError extends NitkaError {
	constructor(
		message: string,
		readonly retryAfterSeconds: number,
	) {
		super('temporarily_unavailable', 503, message);
	}
}

/** Turns a zod error into a ValidationError that names every failing path. */
export function fromZodIssues(
	message: string,
	issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ValidationError {
	return new ValidationError(
		message,
		issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message })),
	);
}
