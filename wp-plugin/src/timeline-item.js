import { channelIcons, channelLabels, describe, when } from './format';

/** One timeline row: channel icon, time, direction, text. */
export function TimelineItem({ event }) {
	const direction = event.type === 'message.in' ? 'in' : event.type === 'message.out' ? 'out' : 'event';
	return (
		<li className={`nitka-item nitka-item--${direction}`} data-type={event.type}>
			<span
				className={`dashicons ${channelIcons[event.channel] ?? 'dashicons-marker'}`}
				title={channelLabels[event.channel] ?? event.channel}
				aria-hidden="true"
			/>
			<div className="nitka-item__body">
				<div className="nitka-item__meta">
					{channelLabels[event.channel] ?? event.channel} · {when(event.occurredAt)}
					{event.data?.author ? ` · ${event.data.author}` : ''}
				</div>
				<div className="nitka-item__text">{describe(event)}</div>
			</div>
		</li>
	);
}
