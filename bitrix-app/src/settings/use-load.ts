import { type Ref, ref, shallowRef } from 'vue';

/** A load with its three states, for panels that fetch once and may retry. */
export function useLoad<T>(load: () => Promise<T>) {
	const data = shallowRef<T | null>(null) as Ref<T | null>;
	const error = shallowRef<unknown>(null);
	const loading = ref(false);
	async function run() {
		loading.value = true;
		error.value = null;
		try {
			data.value = await load();
		} catch (caught) {
			error.value = caught;
		} finally {
			loading.value = false;
		}
	}
	return { data, error, loading, run };
}
