import type { FrameContext } from './frame-context.ts';

/**
 * Keeps the portal's frame as tall as the app's content. Coalesces bursts of layout changes into
 * one resizeWindow per animation frame, and skips heights the portal already has.
 */
export function autoResize(frame: FrameContext, root: HTMLElement, minHeight = 200): () => void {
	let last = 0;
	let scheduled = 0;
	const measure = () => {
		scheduled = 0;
		const height = Math.max(minHeight, Math.ceil(root.getBoundingClientRect().height));
		if (Math.abs(height - last) < 2) return;
		last = height;
		void frame.resize(height).catch(() => undefined);
	};
	const observer = new ResizeObserver(() => {
		scheduled ||= requestAnimationFrame(measure);
	});
	observer.observe(root);
	measure();
	return () => {
		observer.disconnect();
		if (scheduled) cancelAnimationFrame(scheduled);
	};
}
