// The built-in test app: initialises the real b24jssdk B24Frame (global B24Js from the UMD
// build), shows what it got, makes one REST call and resizes its frame. State is on
// window.__app for browser tests; everything shown is set as text, never as HTML.
(async () => {
	const state = { status: 'initializing' };
	window.__app = state;
	const show = (id, value) => {
		document.getElementById(id).textContent = typeof value === 'string' ? value : JSON.stringify(value);
	};
	try {
		const b24 = await window.B24Js.initializeB24Frame();
		state.b24 = b24;
		state.placement = b24.placement.placement;
		state.options = b24.placement.options;
		const auth = b24.auth.getAuthData();
		state.auth = auth
			? { domain: auth.domain, memberId: auth.member_id, accessToken: auth.access_token }
			: null;
		state.status = 'initialized';
		show('sdk-status', state.status);
		show('sdk-placement', state.placement);
		show('sdk-options', state.options);
		show('sdk-domain', state.auth?.domain ?? '');
		show('sdk-member', state.auth?.memberId ?? '');
		try {
			const response = await b24.actions.v2.call.make({ method: 'user.current' });
			state.rest = response.isSuccess
				? { ok: true, result: response.getData().result }
				: { ok: false, errors: response.getErrorMessages() };
		} catch (error) {
			state.rest = { ok: false, errors: [String(error?.message ?? error)] };
		}
		show('sdk-rest', state.rest);
		// Denied outside DEFAULT: a tab's portal drops it and the SDK gives up after 900 ms.
		await b24.parent.setTitle('Nitka test app');
		// Full width, as tall as the content: the `100%` branch of the portal's resizeWindow.
		await b24.parent.fitWindow();
		state.status = 'ready';
		show('sdk-status', state.status);
	} catch (error) {
		state.status = 'failed';
		state.error = String(error?.message ?? error);
		show('sdk-status', `failed: ${state.error}`);
	}
})();
