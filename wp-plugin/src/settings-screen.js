import { Button, Card, CardBody, CardHeader, Notice, Spinner, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { nitka } from './api';
import { Quarantine } from './quarantine';

const time = (seconds) => (seconds ? new Date(seconds * 1000).toLocaleString() : __('never', 'nitka'));

/** Pairing with the connector and the link's health. */
export function SettingsScreen() {
	const [status, setStatus] = useState(null);
	const [form, setForm] = useState({ url: 'http://127.0.0.1:8080', code: '' });
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);

	const run = (path, data) => {
		setBusy(true);
		setError(null);
		return nitka(path, { method: data ? 'POST' : 'GET', data }).then(
			(next) => {
				setBusy(false);
				if (next.paired !== undefined) setStatus(next);
				return next;
			},
			(failure) => {
				setBusy(false);
				setError(failure.message);
			},
		);
	};
	useEffect(() => {
		run('/settings');
	}, []);

	if (!status) return error ? <Notice status="error">{error}</Notice> : <Spinner />;

	const localCode = () =>
		run('/local-code', { url: form.url }).then((answer) => {
			if (answer?.code) setForm({ ...form, code: answer.code });
		});

	return (
		<div className="nitka-settings">
			{error ? (
				<Notice status="error" isDismissible={false}>
					{error}
				</Notice>
			) : null}
			<Card>
				<CardHeader>
					<h2>{__('Connector', 'nitka')}</h2>
				</CardHeader>
				<CardBody>
					{status.paired ? (
						<div className="nitka-paired">
							<p>
								{sprintf(
									/* translators: 1: connector URL, 2: date */
									__('Paired with %1$s since %2$s.', 'nitka'),
									status.pairing.url,
									time(status.pairing.pairedAt),
								)}
							</p>
							<Button variant="secondary" isDestructive disabled={busy} onClick={() => run('/unpair', {})}>
								{__('Unpair', 'nitka')}
							</Button>
						</div>
					) : (
						<form
							className="nitka-pair-form"
							onSubmit={(event) => {
								event.preventDefault();
								run('/pair', form);
							}}
						>
							<TextControl
								__nextHasNoMarginBottom
								label={__('Connector address', 'nitka')}
								value={form.url}
								onChange={(url) => setForm({ ...form, url })}
							/>
							<TextControl
								__nextHasNoMarginBottom
								label={__('Pairing code', 'nitka')}
								value={form.code}
								onChange={(code) => setForm({ ...form, code })}
							/>
							<Button variant="primary" type="submit" isBusy={busy} disabled={busy || !form.code}>
								{__('Pair', 'nitka')}
							</Button>{' '}
							<Button variant="tertiary" disabled={busy} onClick={localCode}>
								{__('Get a code from a local connector', 'nitka')}
							</Button>
						</form>
					)}
				</CardBody>
			</Card>
			{status.paired ? <Health status={status} busy={busy} run={run} /> : null}
			{status.paired ? <Quarantine /> : null}
			<CartSettings status={status} busy={busy} run={run} />
		</div>
	);
}

function Health({ status, busy, run }) {
	const { health, queue, backfill } = status;
	return (
		<Card className="nitka-health">
			<CardHeader>
				<h2>{__('Health', 'nitka')}</h2>
			</CardHeader>
			<CardBody>
				<dl className="nitka-health__list">
					<dt>{__('Last event sent', 'nitka')}</dt>
					<dd className="nitka-last-sent">{time(health.last_sent_at)}</dd>
					<dt>{__('Waiting in the queue', 'nitka')}</dt>
					<dd className="nitka-queue-pending">{queue.pending}</dd>
					<dt>{__('Failed for good', 'nitka')}</dt>
					<dd>{queue.dead}</dd>
					<dt>{__('Last error', 'nitka')}</dt>
					<dd className="nitka-last-error">{health.last_error ?? __('none', 'nitka')}</dd>
					<dt>{__('Connector verified this site', 'nitka')}</dt>
					<dd>{time(health.verified_at)}</dd>
					<dt>{__('Past orders sent', 'nitka')}</dt>
					<dd className="nitka-backfill">
						{backfill.status === 'idle'
							? __('not started', 'nitka')
							: `${backfill.done} / ${backfill.total}${backfill.status === 'done' ? ` ✓` : '…'}`}
					</dd>
				</dl>
				<Button variant="secondary" isBusy={busy} disabled={busy} onClick={() => run('/queue/retry', {})}>
					{__('Retry now', 'nitka')}
				</Button>{' '}
				<Button variant="tertiary" disabled={busy} onClick={() => run('/backfill', {})}>
					{__('Send past orders again', 'nitka')}
				</Button>
			</CardBody>
		</Card>
	);
}

/** The longest idle time the plugin's REST route accepts: a week, in minutes. */
const MAX_IDLE_MINUTES = 10080;

/** @returns {string|null} Why the typed idle time cannot be saved, or null when it can. */
export function idleMinutesError(value) {
	const text = String(value).trim();
	if (!/^\d+$/.test(text)) return __('Enter a whole number of minutes.', 'nitka');
	const minutes = Number(text);
	if (minutes < 1 || minutes > MAX_IDLE_MINUTES) {
		/* translators: %d: the largest number of minutes allowed */
		return sprintf(__('Enter between 1 and %d minutes (a week).', 'nitka'), MAX_IDLE_MINUTES);
	}
	return null;
}

/** How long a cart sits unchanged before it is reported as abandoned (saved through /settings/carts). */
function CartSettings({ status, busy, run }) {
	const stored = String(status.carts?.idleMinutes ?? 60);
	const [value, setValue] = useState(stored);
	const [saved, setSaved] = useState(false);
	const invalid = idleMinutesError(value);
	const save = (event) => {
		event.preventDefault();
		if (invalid) return;
		setSaved(false);
		run('/settings/carts', { idleMinutes: Number(value.trim()) }).then((next) => {
			if (next?.carts) {
				setValue(String(next.carts.idleMinutes));
				setSaved(true);
			}
		});
	};
	return (
		<Card className="nitka-carts">
			<CardHeader>
				<h2>{__('Abandoned carts', 'nitka')}</h2>
			</CardHeader>
			<CardBody>
				<form className="nitka-carts-form" onSubmit={save}>
					<TextControl
						__nextHasNoMarginBottom
						type="number"
						min={1}
						max={MAX_IDLE_MINUTES}
						step={1}
						className={invalid ? 'nitka-idle-minutes is-invalid' : 'nitka-idle-minutes'}
						label={__('Idle time before a cart counts as abandoned (minutes)', 'nitka')}
						help={
							invalid ??
							__(
								'Carts of signed-in customers, and of guests who left an email or phone and agreed, are reported after this long without a change.',
								'nitka',
							)
						}
						value={value}
						onChange={(next) => {
							setSaved(false);
							setValue(next);
						}}
					/>
					<Button
						variant="primary"
						type="submit"
						isBusy={busy}
						disabled={busy || Boolean(invalid) || value.trim() === stored}
					>
						{__('Save', 'nitka')}
					</Button>
					{saved ? <span className="nitka-carts-saved"> {__('Saved.', 'nitka')}</span> : null}
				</form>
			</CardBody>
		</Card>
	);
}
