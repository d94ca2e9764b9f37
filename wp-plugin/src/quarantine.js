import { Button, Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { nitka } from './api';
import { channelLabels } from './format';

const received = (iso) => {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
};

/** Items grouped by the connection they came through (by source for the few that name none), in order. */
export function groupQuarantine(items) {
	const groups = new Map();
	for (const item of items) {
		const key = item.connectionId ?? `source:${item.source}`;
		if (!groups.has(key)) {
			groups.set(key, {
				key,
				title: item.connectionName ?? channelLabels[item.source] ?? item.source,
				items: [],
			});
		}
		groups.get(key).items.push(item);
	}
	return [...groups.values()];
}

/**
 * What the connector could not read (webhooks, marketplace pages and pushes), per connection: each
 * item's source, when it came, what was wrong (redacted by the connector, shown as text) and a retry.
 */
export function Quarantine() {
	const [state, setState] = useState(null);
	const [error, setError] = useState(null);
	const [requeued, setRequeued] = useState(() => new Set());
	const load = () => {
		setError(null);
		nitka('/quarantine').then(setState, (failure) => setError(failure.message));
	};
	useEffect(load, []);
	const requeue = (id) => {
		setError(null);
		nitka(`/quarantine/${encodeURIComponent(id)}/requeue`, { method: 'POST', data: {} }).then(
			() => setRequeued((done) => new Set(done).add(id)),
			(failure) => setError(failure.message),
		);
	};

	return (
		<Card className="nitka-quarantine">
			<CardHeader>
				<h2>{__('Unreadable data', 'nitka')}</h2>
			</CardHeader>
			<CardBody>
				<p className="description">
					{__(
						'Webhooks and marketplace pages the connector could not read are kept here, not lost. After a fix, send them through again.',
						'nitka',
					)}
				</p>
				{error ? (
					<Notice status="error" isDismissible={false}>
						{error}
					</Notice>
				) : null}
				{state === null && !error ? <Spinner /> : null}
				{state && state.items.length === 0 ? (
					<p className="nitka-quarantine__empty">
						{__('Nothing is waiting: every webhook and marketplace page was read.', 'nitka')}
					</p>
				) : null}
				{state
					? groupQuarantine(state.items).map((group) => (
							<div className="nitka-quarantine__group" key={group.key} data-group={group.key}>
								<h3>
									{group.title}{' '}
									<span className="nitka-chip nitka-quarantine__count">
										{sprintf(
											/* translators: %d: number of unread items */
											__('%d unread', 'nitka'),
											group.items.length,
										)}
									</span>
								</h3>
								<ul>
									{group.items.map((item) => (
										<li className="nitka-quarantine__item" key={item.id} data-item={item.id}>
											<div>
												<span className="nitka-quarantine__source">
													{channelLabels[item.source] ?? item.source}
												</span>{' '}
												<span className="nitka-item__meta">
													{sprintf(
														/* translators: %s: date and time */
														__('received %s', 'nitka'),
														received(item.receivedAt),
													)}
												</span>
												<div className="nitka-quarantine__error">
													{item.error || __('No error was recorded.', 'nitka')}
												</div>
											</div>
											{requeued.has(item.id) ? (
												<span className="nitka-chip">{__('Queued again', 'nitka')}</span>
											) : (
												<Button variant="secondary" size="small" onClick={() => requeue(item.id)}>
													{__('Retry', 'nitka')}
												</Button>
											)}
										</li>
									))}
								</ul>
							</div>
						))
					: null}
				{state?.more ? (
					<p className="description">
						{__('The newest 100 are shown; older ones appear once these are read.', 'nitka')}
					</p>
				) : null}
			</CardBody>
		</Card>
	);
}
