import { ref, shallowRef } from 'vue';
import type { ConnectorApi, TimelineFilter } from '../api/connector-api.ts';
import type { TimelineEvent } from '../api/types.ts';

/**
 * The customer's timeline as keyset pages: `more()` appends the next page; `reset()` starts over
 * (new filter, a sent reply). A reset cancels pages still in flight for the old view.
 */
export function useTimeline(api: ConnectorApi, customerId: () => string) {
	const items = shallowRef<TimelineEvent[]>([]);
	const next = ref<string | null>(null);
	const done = ref(false);
	const loading = ref(false);
	const error = shallowRef<unknown>(null);
	let filter: TimelineFilter = {};
	let generation = 0;

	async function load(cursor: string | undefined) {
		const mine = ++generation;
		loading.value = true;
		error.value = null;
		try {
			const page = await api.timeline(customerId(), filter, cursor);
			if (mine !== generation) return;
			const seen = new Set(items.value.map((e) => e.id));
			items.value = [...items.value, ...page.items.filter((e) => !seen.has(e.id))];
			next.value = page.next;
			done.value = !page.next;
		} catch (caught) {
			if (mine === generation) error.value = caught;
		} finally {
			if (mine === generation) loading.value = false;
		}
	}

	return {
		items,
		next,
		done,
		loading,
		error,
		async more() {
			if (loading.value || done.value) return;
			await load(next.value ?? undefined);
		},
		async reset(newFilter: TimelineFilter = filter) {
			filter = newFilter;
			items.value = [];
			next.value = null;
			done.value = false;
			loading.value = false;
			await load(undefined);
		},
	};
}
