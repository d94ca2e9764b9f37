import { AttachmentSchema, IdSchema, type MessagingChannel } from '@nitka/shared';
import { z } from 'zod';
import { NitkaError, NotFoundError } from '../../core/errors.ts';
import { loadConnection } from '../../core/tenants/connections.ts';
import type { AppContext } from '../context.ts';
import { defineRoute } from '../route.ts';
import { runtimeOf } from './channel-runtime.ts';

const MessageDataSchema = z.looseObject({
	connectionId: z.string(),
	attachments: z.array(AttachmentSchema).default([]),
});

// Customer files are untrusted: images may render inline, anything else downloads.
const INLINE = /^(image\/(jpeg|png|gif|webp)|audio\/(ogg|mpeg)|video\/mp4)$/;

/** The authenticated media proxy: platform files are fetched on demand, never stored by Nitka. */
export function mediaRoutes(ctx: AppContext) {
	return [
		defineRoute({
			method: 'get',
			path: '/api/v1/tenants/:tenantId/events/:eventId/attachments/:index',
			summary:
				"Streams an attachment of a timeline message from its platform (the bot's credentials stay here)",
			tags: ['customers'],
			auth: 'apiKey',
			params: z.object({
				tenantId: IdSchema,
				eventId: IdSchema,
				index: z.coerce.number().int().min(0).max(19),
			}),
			responses: {
				200: { description: 'the file', contentType: 'application/octet-stream' },
				404: { description: 'no such event or attachment' },
				501: { description: 'the platform offers no download for this attachment' },
			},
			handler: async ({ params, res }) => {
				const row = await ctx.db
					.selectFrom('events')
					.select(['channel', 'data'])
					.where('tenant_id', '=', params.tenantId)
					.where('id', '=', params.eventId)
					.where('type', 'in', ['message.in', 'message.out'])
					.executeTakeFirst();
				if (!row) throw new NotFoundError(`message event ${params.eventId}`);
				const data = MessageDataSchema.parse(JSON.parse(row.data));
				const attachment = data.attachments[params.index];
				if (!attachment) throw new NotFoundError(`attachment ${params.index}`);
				const client = runtimeOf(ctx).clients[row.channel as MessagingChannel];
				if (!client?.fetchMedia)
					throw new NitkaError('media_unsupported', 501, `${row.channel} attachments cannot be downloaded`);
				const connection = await loadConnection(ctx.db, ctx.box, data.connectionId, params.tenantId);
				const file = await client
					.fetchMedia(attachment.ref, {
						connectionId: data.connectionId,
						tenantId: params.tenantId,
						credentials: connection.credentials,
						settings: connection.settings,
						webhookSecret: null,
					})
					.catch((error: unknown) => {
						throw new NitkaError('platform_unavailable', 502, 'the platform did not give the file', {
							cause: error,
						});
					});
				const type = attachment.mimeType ?? file.contentType;
				const name = (attachment.fileName ?? file.fileName ?? 'file').replace(/[^\w.-]+/g, '_');
				res.status(200);
				res.setHeader('Content-Type', type);
				res.setHeader(
					'Content-Disposition',
					`${INLINE.test(type) ? 'inline' : 'attachment'}; filename="${name}"`,
				);
				res.setHeader('Cache-Control', 'private, max-age=3600');
				res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
				res.end(Buffer.from(file.body));
			},
		}),
	];
}
