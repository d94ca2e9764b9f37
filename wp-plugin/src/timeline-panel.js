import { Button, Notice, SelectControl, Spinner } from '@wordpress/components';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { nitka, settingsUrl } from './api';
import { channelLabels, identityLabels } from './format';
import { ReplyBox } from './reply-box';
import { TimelineItem } from './timeline-item';

const filters = ['', 'telegram', 'vk', 'max', 'woocommerce', 'ozon', 'wildberries', 'yandex-market', 'pos'];

/** The unified timeline of the customer behind an order, a user, or an email/phone lookup. */
export function TimelinePanel({ query }) {
	const [state, setState] = useState({ loading: true });
	const [channel, setChannel] = useState('');
	const [more, setMore] = useState({ items: [], next: null, loading: false });

	const load = useCallback(() => {
		setState((previous) => ({ ...previous, loading: true }));
		const params = new URLSearchParams({ ...query, ...(channel ? { channel } : {}) });
		nitka(`/timeline?${params}`).then(
			(data) => {
				setState({ loading: false, data });
				setMore({ items: [], next: data.timeline?.next ?? null, loading: false });
			},
			(error) => setState({ loading: false, error }),
		);
	}, [query, channel]);

	useEffect(load, [load]);

	const loadMore = () => {
		setMore((m) => ({ ...m, loading: true }));
		const params = new URLSearchParams({ ...query, cursor: more.next, ...(channel ? { channel } : {}) });
		nitka(`/timeline?${params}`).then(
			(data) =>
				setMore((m) => ({
					items: [...m.items, ...(data.timeline?.items ?? [])],
					next: data.timeline?.next ?? null,
					loading: false,
				})),
			() => setMore((m) => ({ ...m, loading: false })),
		);
	};

	if (state.loading && !state.data) return <Spinner />;
	if (state.error) {
		const notPaired = state.error.code === 'nitka_not_paired';
		return (
			<Notice status={notPaired ? 'info' : 'error'} isDismissible={false}>
				{state.error.message}{' '}
				{notPaired && settingsUrl ? <a href={settingsUrl}>{__('Pair with a connector', 'nitka')}</a> : null}
			</Notice>
		);
	}
	const { customer, timeline, conversation } = state.data;
	if (!customer) {
		return <p className="nitka-empty">{__('Nitka knows nothing about this customer yet.', 'nitka')}</p>;
	}
	const items = [...(timeline?.items ?? []), ...more.items];
	return (
		<div className="nitka-panel">
			<div className="nitka-panel__head">
				<strong className="nitka-customer-name">{customer.displayName ?? __('Customer', 'nitka')}</strong>
				<span className="nitka-identities">
					{customer.identities.map((identity) => (
						<span key={identity.id} className="nitka-chip" data-identity={identity.type}>
							{identityLabels[identity.type] ?? identity.type}: {identity.value}
						</span>
					))}
				</span>
				<SelectControl
					__nextHasNoMarginBottom
					label={__('Channel', 'nitka')}
					hideLabelFromVision
					value={channel}
					options={filters.map((value) => ({
						value,
						label: value ? (channelLabels[value] ?? value) : __('All channels', 'nitka'),
					}))}
					onChange={setChannel}
				/>
			</div>
			{items.length === 0 ? (
				<p className="nitka-empty">{__('No events in this view.', 'nitka')}</p>
			) : (
				<ul className="nitka-timeline-list">
					{items.map((event) => (
						<TimelineItem key={event.id} event={event} />
					))}
				</ul>
			)}
			{more.next ? (
				<Button variant="secondary" isBusy={more.loading} onClick={loadMore}>
					{__('Older events', 'nitka')}
				</Button>
			) : null}
			<ReplyBox customerId={customer.id} conversation={conversation} onSent={load} />
		</div>
	);
}
