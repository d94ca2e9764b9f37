import { createRoot, render } from '@wordpress/element';

/** React 18 roots where WordPress has them (6.2+), the legacy render() on older releases. */
export function mount(element, node) {
	if (typeof createRoot === 'function') {
		createRoot(node).render(element);
	} else {
		render(element, node);
	}
}
