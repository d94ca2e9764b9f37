import type { Request } from 'express';

/** One uploaded file part of a multipart/form-data body. */
export interface UploadedPart {
	fieldName: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartBody {
	fields: Record<string, string>;
	files: Record<string, UploadedPart>;
}

/**
 * Parses multipart/form-data leniently, as Telegram's server does: grammY writes headers as
 * `content-disposition:form-data;name="x";filename=photo.jpg` (no spaces, unquoted filename), which
 * Node's built-in `Request.formData()` rejects. Parts are split on the boundary and headers are read
 * case-insensitively.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
	const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
	const result: MultipartBody = { fields: {}, files: {} };
	if (!boundary) return result;
	const delimiter = Buffer.from(`--${boundary}`);
	let cursor = body.indexOf(delimiter);
	while (cursor >= 0) {
		const partStart = cursor + delimiter.length;
		// `--` right after a delimiter closes the body.
		if (body.subarray(partStart, partStart + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, partStart);
		if (next < 0) break;
		readPart(trimCrlf(body.subarray(partStart, next)), result);
		cursor = next;
	}
	return result;
}

function trimCrlf(part: Buffer): Buffer {
	let start = 0;
	let end = part.length;
	if (part[0] === 0x0d && part[1] === 0x0a) start = 2;
	if (part[end - 2] === 0x0d && part[end - 1] === 0x0a) end -= 2;
	return part.subarray(start, end);
}

function readPart(part: Buffer, into: MultipartBody): void {
	const headerEnd = part.indexOf('\r\n\r\n');
	if (headerEnd < 0) return;
	const headers = new Map<string, string>();
	for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	const disposition = headers.get('content-disposition') ?? '';
	const name = dispositionParam(disposition, 'name');
	if (name === undefined) return;
	const data = part.subarray(headerEnd + 4);
	const filename = dispositionParam(disposition, 'filename');
	if (filename === undefined) {
		into.fields[name] = data.toString('utf8');
		return;
	}
	into.files[name] = {
		fieldName: name,
		filename,
		contentType: headers.get('content-type') ?? 'application/octet-stream',
		data: Buffer.from(data),
	};
}

function dispositionParam(disposition: string, key: string): string | undefined {
	const match = new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;]*))`, 'i').exec(disposition);
	if (!match) return undefined;
	return (match[1] ?? match[2] ?? '').trim();
}

/** Reads the untouched request stream (express's parsers skip multipart). */
export async function readRawBody(req: Request): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	return Buffer.concat(chunks);
}
