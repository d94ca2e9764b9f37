import { marketplaceScene } from './commerce-scenes.ts';
import { counterScene, pickupScene, promoScene, returnScene } from './counter-scenes.ts';
import type { DemoScene } from './define-scene.ts';
import { bitrix24Scene, wordpressScene } from './host-scenes.ts';
import {
	deepLinkScene,
	maxScene,
	phoneScene,
	telegramScene,
	timelineScene,
	vkScene,
} from './messenger-scenes.ts';

/**
 * The demo's story, in page order. A capability that lands gets its scene here (or its `status`
 * turns ready by itself when the connector starts offering the route it probes).
 */
export const demoScenes = {
	telegram: telegramScene,
	vk: vkScene,
	max: maxScene,
	phone: phoneScene,
	'deep-link': deepLinkScene,
	marketplace: marketplaceScene,
	counter: counterScene,
	pickup: pickupScene,
	promo: promoScene,
	return: returnScene,
	timeline: timelineScene,
	bitrix24: bitrix24Scene,
	wordpress: wordpressScene,
} as const satisfies Record<string, DemoScene>;
