import { VkApiError } from './errors.ts';
import type { JsonObject } from './types.ts';

const ATTACHMENT =
	/^(photo|video|audio|doc|wall|market|poll|audio_message|story)(-?\d+)_(\d+)(?:_([A-Za-z0-9]+))?$/;

/**
 * Turns `attachment=photo-1_2,doc5_6_key` into message attachment objects (`{type, <type>: {...}}`).
 * Media are not stored anywhere; the emulator keeps the reference as VK would return it.
 */
export function parseAttachmentParam(raw: string): JsonObject[] {
	return raw
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => {
			const match = ATTACHMENT.exec(part);
			if (!match) throw new VkApiError(100, 'attachment is invalid');
			const [, type = '', owner = '0', id = '0', accessKey] = match;
			const media: JsonObject = { id: Number(id), owner_id: Number(owner) };
			if (accessKey) media.access_key = accessKey;
			return { type, [type]: media };
		});
}

/** Attachment objects for messages a user writes (user-play helpers). */
export const userAttachments = {
	photo(ownerId: number, id = 457_239_017): JsonObject {
		const url = (size: string) => `https://emulator.invalid/vk/photo${ownerId}_${id}_${size}.jpg`;
		return {
			type: 'photo',
			photo: {
				id,
				owner_id: ownerId,
				album_id: -3,
				date: 0,
				access_key: 'a1b2c3d4e5f6',
				sizes: [
					{ type: 's', width: 75, height: 56, url: url('s') },
					{ type: 'x', width: 604, height: 453, url: url('x') },
				],
				text: '',
			},
		};
	},
	doc(ownerId: number, title = 'invoice.pdf', id = 654_321): JsonObject {
		return {
			type: 'doc',
			doc: {
				id,
				owner_id: ownerId,
				title,
				size: 20_480,
				ext: title.split('.').pop() ?? '',
				date: 0,
				type: 1,
				url: `https://emulator.invalid/vk/doc${ownerId}_${id}`,
				access_key: 'f6e5d4c3b2a1',
			},
		};
	},
	sticker(stickerId = 9_009, productId = 279): JsonObject {
		return {
			type: 'sticker',
			sticker: {
				product_id: productId,
				sticker_id: stickerId,
				images: [
					{ url: `https://emulator.invalid/vk/sticker/${stickerId}/128.png`, width: 128, height: 128 },
				],
				inner_type: 'base_sticker_new',
			},
		};
	},
};

/** `base_geo` of a message a user sent with a location. */
export function geoObject(latitude: number, longitude: number): JsonObject {
	return { type: 'point', coordinates: { latitude, longitude } };
}
