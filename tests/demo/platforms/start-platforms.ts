import { type Bitrix24Emulator, startBitrix24Emulator } from '../../emulators/bitrix24/index.ts';
import { type MaxEmulator, startMaxEmulator } from '../../emulators/max/index.ts';
import { type OzonEmulator, startOzonEmulator } from '../../emulators/ozon/index.ts';
import {
	defaultTelegramToken,
	startTelegramEmulator,
	type TelegramEmulator,
} from '../../emulators/telegram/index.ts';
import { startVkEmulator, type VkCommunityHandle, type VkEmulator } from '../../emulators/vk/index.ts';
import { startWildberriesEmulator, type WildberriesEmulator } from '../../emulators/wildberries/index.ts';
import { startYandexMarketEmulator, type YandexMarketEmulator } from '../../emulators/yandex-market/index.ts';

/** Every emulated platform of the demo, on loopback ports. */
export interface DemoPlatforms {
	telegram: TelegramEmulator;
	vk: VkEmulator;
	/** The shop's VK community. */
	club: VkCommunityHandle;
	max: MaxEmulator;
	bitrix24: Bitrix24Emulator;
	ozon: OzonEmulator;
	wildberries: WildberriesEmulator;
	yandexMarket: YandexMarketEmulator;
	close(): Promise<void>;
}

/** The demo shop's accounts: fixed, so connections stored by an earlier run still work. */
export const demoAccounts = {
	telegram: { token: defaultTelegramToken, username: 'nitka_demo_bot', firstName: 'Nitka Demo' },
	vk: {
		id: 229_000_001,
		name: 'Nitka Demo',
		screen_name: 'nitka_demo',
		token: 'vk1.a.nitka-demo-community-key-0123456789abcdefghijklmnopqrstuvwxyz',
	},
	max: { botName: 'Nitka Demo', botUsername: 'nitka_demo_bot' },
} as const;

export interface PlatformContinuity {
	/** MAX message ids (`mid`) an earlier run already used: this run starts after them. */
	maxMidsUsed: number;
}

/**
 * Starts the emulators. They keep no state between runs while the connector does, so ids the
 * connector deduplicates on must not repeat: Telegram update ids start at the current time and MAX
 * skips the message ids an earlier run used (VK event ids are random already).
 */
export async function startPlatforms(continuity: PlatformContinuity): Promise<DemoPlatforms> {
	const [telegram, vk, max, bitrix24, ozon, wildberries, yandexMarket] = await Promise.all([
		startTelegramEmulator({ bots: [demoAccounts.telegram], firstUpdateId: Date.now() }),
		startVkEmulator(),
		startMaxEmulator(demoAccounts.max),
		startBitrix24Emulator(),
		startOzonEmulator(),
		startWildberriesEmulator(),
		startYandexMarketEmulator(),
	]);
	for (let i = 0; i < continuity.maxMidsUsed; i++) max.state.nextMid();
	const club = vk.createCommunity({ ...demoAccounts.vk });
	return {
		telegram,
		vk,
		club,
		max,
		bitrix24,
		ozon,
		wildberries,
		yandexMarket,
		async close() {
			await Promise.allSettled([
				telegram.close(),
				vk.close(),
				max.close(),
				bitrix24.close(),
				ozon.close(),
				wildberries.close(),
				yandexMarket.close(),
			]);
		},
	};
}
