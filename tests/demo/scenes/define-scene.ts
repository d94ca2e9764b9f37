import type { DemoActionName } from '../actions/registry.ts';
import type { DemoPortal } from '../hosts/bitrix24-portal.ts';
import type { DemoWordPress } from '../hosts/wordpress.ts';
import type { DemoCounter } from '../seed/demo-counter.ts';

type Text = { ru: string; en: string };

/** What a scene's readiness check may look at. */
export interface SceneProbe {
	connectorUrl: string;
	portal: DemoPortal;
	/** The running WordPress, paired or not; null when none runs. */
	wordpress: DemoWordPress | null;
	/** The counter tablets the demo paired (their screens open already paired). */
	counter: DemoCounter;
}

/** Whether a scene works now; `coming` scenes say what they wait for and are never faked. */
export interface SceneStatus {
	state: 'ready' | 'partial' | 'coming';
	note?: Text;
	/** Where to look at the result (a portal card, a WordPress screen). */
	links?: { label: Text; url: string }[];
}

/** One part of the demo story: a title, the actions it offers, and a readiness check. */
export interface DemoScene {
	title: Text;
	about: Text;
	actions: readonly DemoActionName[];
	status(probe: SceneProbe): SceneStatus | Promise<SceneStatus>;
}

export const defineScene = (scene: DemoScene): DemoScene => scene;
