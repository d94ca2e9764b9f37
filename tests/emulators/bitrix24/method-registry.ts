import type { MethodSpec } from './method-types.ts';
import { appMethods } from './methods/app.ts';
import { crmActivityMethods } from './methods/crm-activity.ts';
import { crmContactMethods } from './methods/crm-contact.ts';
import { crmDealMethods } from './methods/crm-deal.ts';
import { crmItemMethods } from './methods/crm-item.ts';
import { crmMiscMethods } from './methods/crm-misc.ts';
import { crmProductMethods } from './methods/crm-product.ts';
import { crmTimelineMethods } from './methods/crm-timeline.ts';
import { eventMethods } from './methods/event.ts';
import { imconnectorMethods } from './methods/imconnector.ts';
import { imopenlinesMethods } from './methods/imopenlines.ts';
import { placementMethods } from './methods/placement.ts';
import { taskMethods } from './tasks.ts';

/**
 * Every REST method the emulator serves, by its lower-case name. To add one: write it in a
 * `methods/<group>.ts` file as a `MethodGroup` entry and spread the group here.
 */
export const methodRegistry = {
	...appMethods,
	...crmContactMethods,
	...crmDealMethods,
	...crmItemMethods,
	...crmMiscMethods,
	...crmProductMethods,
	...crmTimelineMethods,
	...crmActivityMethods,
	...eventMethods,
	...placementMethods,
	...imconnectorMethods,
	...imopenlinesMethods,
	...taskMethods,
} satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methodRegistry;
