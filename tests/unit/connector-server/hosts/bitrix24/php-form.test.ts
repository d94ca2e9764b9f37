import { describe, expect, it } from 'vitest';
import { parseChatKey, plainText } from '../../../../../connector-server/src/hosts/bitrix24/open-lines.ts';
import { buildPhpQuery, parsePhpForm } from '../../../../../connector-server/src/hosts/bitrix24/php-form.ts';

describe('Bitrix24 wire helpers', () => {
	it('decodes the documented ONIMCONNECTORMESSAGEADD form body (research §5.3)', () => {
		const body =
			'event=ONIMCONNECTORMESSAGEADD&event_handler_id=555&data%5BCONNECTOR%5D=nitka&data%5BLINE%5D=107' +
			'&data%5BMESSAGES%5D%5B0%5D%5Bim%5D%5Bchat_id%5D=1807&data%5BMESSAGES%5D%5B0%5D%5Bim%5D%5Bmessage_id%5D=86497' +
			'&data%5BMESSAGES%5D%5B0%5D%5Bmessage%5D%5Btext%5D=%5Bb%5DKlaus%20Weber%3A%5B%2Fb%5D%20%5Bbr%5DGuten%20Tag!' +
			'&data%5BMESSAGES%5D%5B0%5D%5Bchat%5D%5Bid%5D=telegram%3A01J0%3A42&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t';
		const form = parsePhpForm(body);
		expect(form).toMatchObject({
			event: 'ONIMCONNECTORMESSAGEADD',
			data: { LINE: '107', MESSAGES: { 0: { im: { chat_id: '1807' }, chat: { id: 'telegram:01J0:42' } } } },
			auth: { member_id: 'm1' },
		});
		expect(plainText('[b]Klaus Weber:[/b] [br]Guten Tag!')).toBe('Klaus Weber:\nGuten Tag!');
		expect(parseChatKey('telegram:01J0:42')).toEqual({
			channel: 'telegram',
			connectionId: '01J0',
			chatId: '42',
		});
		expect(parseChatKey('whatsapp:1:2')).toBeNull();
	});

	it('writes batch command params the way PHP reads them', () => {
		expect(buildPhpQuery({ fields: { PHONE: [{ VALUE: '+7 999', VALUE_TYPE: 'MOBILE' }] }, id: 5 })).toBe(
			'fields%5BPHONE%5D%5B0%5D%5BVALUE%5D=%2B7%20999&fields%5BPHONE%5D%5B0%5D%5BVALUE_TYPE%5D=MOBILE&id=5',
		);
	});
});
