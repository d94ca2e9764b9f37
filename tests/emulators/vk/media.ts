import type { Express } from 'express';
import type { JsonObject } from './types.ts';

const TYPES: Record<string, string> = {
	jpg: 'image/jpeg',
	pdf: 'application/pdf',
	ogg: 'audio/ogg',
	mp3: 'audio/mpeg',
};

/**
 * VK delivers media as URLs inside the message object (`photo.sizes[].url`, `doc.url`,
 * `audio_message.link_ogg`), served from its CDN without the token. The emulator serves those
 * files under `/files/…` (a stand-in for the CDN hosts) with bytes that name the file.
 */
export function mountMediaRoutes(app: Express): void {
	app.get('/files/:name', (req, res) => {
		const name = req.params.name;
		const ext = name.split('.').pop() ?? '';
		res
			.status(200)
			.type(TYPES[ext] ?? 'application/octet-stream')
			.send(`emulated vk file ${name}`);
	});
}

/** Attachment objects whose URLs the emulator serves (for the media-download path). */
export function downloadableAttachments(baseUrl: () => string) {
	const file = (name: string) => `${baseUrl()}/files/${name}`;
	return {
		photo(ownerId: number, id = 457_239_018): JsonObject {
			return {
				type: 'photo',
				photo: {
					id,
					owner_id: ownerId,
					album_id: -3,
					date: 0,
					access_key: 'b2c3d4e5f6a1',
					sizes: [
						{ type: 's', width: 75, height: 56, url: file(`photo${ownerId}_${id}_s.jpg`) },
						{ type: 'x', width: 604, height: 453, url: file(`photo${ownerId}_${id}_x.jpg`) },
						{ type: 'm', width: 130, height: 97, url: file(`photo${ownerId}_${id}_m.jpg`) },
					],
					text: '',
				},
			};
		},
		doc(ownerId: number, title = 'invoice.pdf', id = 654_322): JsonObject {
			return {
				type: 'doc',
				doc: {
					id,
					owner_id: ownerId,
					title,
					size: 26,
					ext: title.split('.').pop() ?? '',
					date: 0,
					type: 1,
					url: file(`doc${ownerId}_${id}.${title.split('.').pop() ?? 'bin'}`),
					access_key: 'e5d4c3b2a1f6',
				},
			};
		},
		voice(ownerId: number, id = 700_001): JsonObject {
			return {
				type: 'audio_message',
				audio_message: {
					id,
					owner_id: ownerId,
					duration: 3,
					waveform: [0, 5, 9, 5, 0],
					link_ogg: file(`audio_message${ownerId}_${id}.ogg`),
					link_mp3: file(`audio_message${ownerId}_${id}.mp3`),
					access_key: 'c3b2a1f6e5d4',
				},
			};
		},
	};
}
