/**
 * A tiny element builder. Text always goes in as text nodes (`textContent`), never as HTML:
 * customer names, notes and codes come from chats and must never become markup.
 */

export type Child = Node | string | number | null | undefined | false;

type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Handler | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	props: Props = {},
	...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(props)) {
		if (value === null || value === undefined || value === false) continue;
		if (typeof value === 'function') {
			element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
		} else if (name === 'class') {
			element.className = String(value);
		} else if (name === 'value' && 'value' in element) {
			(element as HTMLInputElement).value = String(value);
		} else {
			element.setAttribute(name, value === true ? '' : String(value));
		}
	}
	append(element, children);
	return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
	for (const child of children.flat()) {
		if (child === null || child === undefined || child === false) continue;
		parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
	}
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
	parent.replaceChildren();
	append(parent, children);
}
