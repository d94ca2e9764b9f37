import type { MediaFile } from '../../core/ports/channel-client.ts';

// VK serves message media from its own CDN hosts; the proxy fetches nothing else (no SSRF through
// a crafted attachment URL).
const VK_MEDIA_HOSTS = [
	'vk.com',
	'vk.ru',
	'vk.me',
	'userapi.com',
	'vkuserphoto.ru',
	'vkuser.net',
	'vkuseraudio.net',
	'vkuservideo.net',
	'vk-cdn.net',
];
const MAX_BYTES = 50 * 1024 * 1024;
const MAX_REDIRECTS = 3;

function allowed(url: URL, apiOrigin: string): boolean {
	// The API's own origin too: a local emulator serves its media beside its API.
	if (url.origin === apiOrigin) return true;
	if (url.protocol !== 'https:') return false;
	return VK_MEDIA_HOSTS.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
}

/**
 * Downloads a VK attachment by the URL VK put in the message object (photo size, doc url, voice
 * link). Media URLs carry their own access signature, so no token is sent. Redirects are followed
 * by hand, each hop checked against VK's hosts.
 */
export async function fetchVkMedia(ref: string, apiBaseUrl: string): Promise<MediaFile> {
	const apiOrigin = new URL(apiBaseUrl).origin;
	let url: URL;
	try {
		url = new URL(ref);
	} catch {
		throw new Error('this VK attachment carries no download URL');
	}
	for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
		if (!allowed(url, apiOrigin)) throw new Error(`not a VK media host: ${url.hostname}`);
		const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
		const location = response.headers.get('location');
		if (response.status >= 300 && response.status < 400 && location) {
			url = new URL(location, url);
			continue;
		}
		if (!response.ok) throw new Error(`VK media answered HTTP ${response.status}`);
		if (Number(response.headers.get('content-length') ?? 0) > MAX_BYTES)
			throw new Error('VK media too large');
		const body = new Uint8Array(await response.arrayBuffer());
		if (body.byteLength > MAX_BYTES) throw new Error('VK media too large');
		return {
			body,
			contentType: response.headers.get('content-type')?.split(';')[0] ?? 'application/octet-stream',
			fileName: url.pathname.split('/').pop() || 'file',
		};
	}
	throw new Error('VK media redirected too often');
}
