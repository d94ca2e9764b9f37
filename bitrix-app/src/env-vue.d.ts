// For `tsc -b`, which cannot read .vue files; `npm run typecheck -w bitrix-app` (vue-tsc) checks them.
declare module '*.vue' {
	import type { DefineComponent } from 'vue';

	const component: DefineComponent<object, object, unknown>;
	export default component;
}
