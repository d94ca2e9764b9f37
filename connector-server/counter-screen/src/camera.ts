/**
 * Scans QR codes with the tablet's camera: frames from getUserMedia are drawn, scaled down, on a
 * canvas and decoded by jsQR a few times a second. Stops itself after the first code it reads.
 * The decoder is loaded only when the camera is first used: a slow connection loads the screen fast.
 */

export type CameraFailure = 'unavailable' | 'denied';

export interface CameraScan {
	stop(): void;
}

const SCAN_EVERY_MS = 150;
const MAX_SIDE = 640;

export async function startCameraScan(
	video: HTMLVideoElement,
	onCode: (text: string) => void,
	onFailure: (failure: CameraFailure) => void,
): Promise<CameraScan | null> {
	if (!navigator.mediaDevices?.getUserMedia) {
		onFailure('unavailable');
		return null;
	}
	let stream: MediaStream;
	let jsQR: typeof import('jsqr').default;
	try {
		// jsQR is CommonJS: depending on the bundler's interop its function is `default` or `default.default`.
		const loaded: unknown = (await import('jsqr')).default;
		jsQR = (typeof loaded === 'function' ? loaded : (loaded as { default: unknown }).default) as typeof jsQR;
	} catch {
		onFailure('unavailable');
		return null;
	}
	try {
		stream = await navigator.mediaDevices.getUserMedia({
			video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
			audio: false,
		});
	} catch (error) {
		const name = (error as { name?: string }).name;
		onFailure(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable');
		return null;
	}
	video.srcObject = stream;
	video.setAttribute('playsinline', '');
	video.muted = true;
	await video.play().catch(() => undefined);

	const canvas = document.createElement('canvas');
	const context = canvas.getContext('2d', { willReadFrequently: true });
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const stop = () => {
		stopped = true;
		if (timer) clearTimeout(timer);
		for (const track of stream.getTracks()) track.stop();
		video.srcObject = null;
	};
	const tick = () => {
		if (stopped) return;
		const width = video.videoWidth;
		const height = video.videoHeight;
		if (context && width > 0 && height > 0) {
			const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
			canvas.width = Math.round(width * scale);
			canvas.height = Math.round(height * scale);
			context.drawImage(video, 0, 0, canvas.width, canvas.height);
			const image = context.getImageData(0, 0, canvas.width, canvas.height);
			const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
			if (code?.data) {
				stop();
				onCode(code.data);
				return;
			}
		}
		timer = setTimeout(tick, SCAN_EVERY_MS);
	};
	tick();
	return { stop };
}
