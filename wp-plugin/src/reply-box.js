import { Button, Notice, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { nitka } from './api';
import { channelLabels } from './format';

/** Answers the customer in the messenger they last wrote from (the connector picks the chat). */
export function ReplyBox({ customerId, conversation, onSent }) {
	const [text, setText] = useState('');
	const [status, setStatus] = useState({ busy: false });
	const reachable = (conversation?.chats ?? []).filter((chat) => chat.reachable);
	if (reachable.length === 0) {
		return (
			<p className="nitka-reply-none">
				{__(
					'The customer has not written to a connected messenger yet, so there is nowhere to reply.',
					'nitka',
				)}
			</p>
		);
	}
	const target = conversation.lastChannel ?? reachable[0].channel;
	const send = () => {
		setStatus({ busy: true });
		nitka('/reply', {
			method: 'POST',
			data: { customerId, text, idempotencyKey: `wp-${customerId}-${Date.now()}` },
		}).then(
			() => {
				setText('');
				setStatus({ busy: false, sent: true });
				onSent();
			},
			(error) => setStatus({ busy: false, error: error.message }),
		);
	};
	return (
		<div className="nitka-reply">
			<TextareaControl
				__nextHasNoMarginBottom
				/* translators: %s: messenger name */
				label={sprintf(__('Reply in %s', 'nitka'), channelLabels[target] ?? target)}
				value={text}
				onChange={setText}
				rows={3}
			/>
			<Button variant="primary" isBusy={status.busy} disabled={status.busy || !text.trim()} onClick={send}>
				{__('Send', 'nitka')}
			</Button>
			{status.error ? (
				<Notice status="error" isDismissible={false}>
					{status.error}
				</Notice>
			) : null}
			{status.sent ? <span className="nitka-reply-sent">{__('Sent.', 'nitka')}</span> : null}
		</div>
	);
}
