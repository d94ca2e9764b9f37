/**
 * The inbox key of VK's `message_reply` report of a message the community sent with `random_id`.
 * VK keeps random_ids unique per sender, so the key names one message whoever sent it: Nitka stores
 * it before its own send, which makes VK's report of that send a duplicate (never recorded twice).
 */
export function vkSentKey(groupId: string, randomId: number): string {
	return `vk:${groupId}:sent:${randomId}`;
}
