import { Button, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { TimelinePanel } from './timeline-panel';

/** Finds a customer by email or phone and shows their timeline. */
export function LookupScreen() {
	const [email, setEmail] = useState('');
	const [phone, setPhone] = useState('');
	const [query, setQuery] = useState(null);
	const submit = (event) => {
		event.preventDefault();
		setQuery(email ? { email } : { phone });
	};
	return (
		<div className="nitka-lookup">
			<form className="nitka-lookup__form" onSubmit={submit}>
				<TextControl __nextHasNoMarginBottom label={__('Email', 'nitka')} value={email} onChange={setEmail} />
				<TextControl __nextHasNoMarginBottom label={__('Phone', 'nitka')} value={phone} onChange={setPhone} />
				<Button variant="primary" type="submit" disabled={!email && !phone}>
					{__('Find', 'nitka')}
				</Button>
			</form>
			{query ? <TimelinePanel key={JSON.stringify(query)} query={query} /> : null}
		</div>
	);
}
