import { ref } from 'vue';

/**
 * A form's submission with its three states: busy while `run` works, then what it said (`done`) or
 * the error. `reset` forgets both (another tab picked).
 */
export function useSubmit(run: () => Promise<string>) {
	const busy = ref(false);
	const error = ref<unknown>(null);
	const done = ref('');
	function reset() {
		error.value = null;
		done.value = '';
	}
	async function submit() {
		busy.value = true;
		reset();
		try {
			done.value = await run();
		} catch (caught) {
			error.value = caught;
		} finally {
			busy.value = false;
		}
	}
	return { busy, error, done, reset, submit };
}

/** What a connect card reads of a submission (its refs unwrapped by `reactive`). */
export interface SubmitState {
	busy: boolean;
	error: unknown;
	done: string;
	submit: () => Promise<void>;
}
