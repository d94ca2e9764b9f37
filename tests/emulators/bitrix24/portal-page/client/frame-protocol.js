// Parent-window side of the Bitrix24 app-frame protocol, modelled on the portal's
// rest/applayout.js: accept `cmd:params:callbackId:appSid` strings from the app's origin only,
// for a known APP_SID only, and answer `callbackId:json` to that origin. Unknown and denied
// commands are dropped without a reply, as a portal drops them.
(() => {
	const config = JSON.parse(document.getElementById('b24-portal-config').textContent);
	const NO_REPLY = Symbol('no reply');
	// A navigation a handler asked for, run only once its message is recorded Node-side.
	let afterRecord = null;
	const layouts = new Map(config.layouts.map((layout) => [layout.sid, layout]));
	let pending = Promise.resolve();

	const portal = {
		config,
		/** Every message received, in order (also sent to the emulator's Node-side log). */
		messages: [],
		/** Submits a layout's launch form into its iframe (a tab does this when first opened). */
		open(sid) {
			const layout = layouts.get(sid);
			if (!layout || layout.opened) return;
			layout.opened = true;
			document.forms[`appform_${sid}`].submit();
		},
		/** Resolves once every record has reached the emulator. */
		flush: () => pending,
	};
	window.__portal = portal;

	const post = async (url, body) => {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
		return await response.json();
	};

	const record = (entry) => {
		const full = { ...entry, at: Date.now() };
		portal.messages.push(full);
		pending = pending.then(() => post(config.endpoints.messages, full)).catch(() => undefined);
	};

	// The portal's split(): first part is the command, last the appSid, second-to-last the
	// callback id, and everything between (which may hold ':') the JSON params.
	const split = (data) => {
		const parts = data.split(':');
		return [
			parts[0],
			parts.slice(1, parts.length - 2).join(':'),
			parts[parts.length - 2],
			parts[parts.length - 1],
		];
	};

	const frameOf = (layout) => document.getElementById(`appframe_${layout.sid}`);
	const layoutBox = (layout) => document.getElementById(`appframe_layout_${layout.sid}`);

	const slider = {
		element: () => document.getElementById('b24-slider'),
		onClose: null,
		open(text, onClose) {
			const element = slider.element();
			element.querySelector('[data-slider-text]').textContent = text;
			element.hidden = false;
			slider.onClose = onClose;
		},
		close() {
			const element = slider.element();
			if (element.hidden) return false;
			element.hidden = true;
			const done = slider.onClose;
			slider.onClose = null;
			done?.();
			return true;
		},
	};
	portal.closeSlider = () => slider.close();

	const handlers = {
		getInitData(layout) {
			const p = layout.params;
			const data = {
				LANG: p.lang,
				DOMAIN: location.host,
				PROTOCOL: p.proto,
				PATH: p.restPath,
				AUTH_ID: p.authId,
				AUTH_EXPIRES: p.authExpires,
				REFRESH_ID: p.refreshId,
				MEMBER_ID: p.memberId,
				FIRST_RUN: p.firstRun,
				IS_ADMIN: p.isAdmin,
				INSTALL: p.install,
				USER_OPTIONS: p.userOptions,
				APP_OPTIONS: p.appOptions,
				PLACEMENT: layout.placement,
				PLACEMENT_OPTIONS: p.placementOptions,
			};
			p.firstRun = false;
			return data;
		},
		getInterface(layout) {
			const command = Object.keys(handlers).filter((name) => !layout.denied.includes(name));
			return { command, event: [] };
		},
		async refreshAuth(layout) {
			// The portal mints a new pair server-side (lazyload.ajax.php action=access_refresh).
			const data = await post(config.endpoints.refreshAuth, { sid: layout.sid });
			layout.params.authId = data.access_token;
			layout.params.authExpires = data.expires_in;
			layout.params.refreshId = data.refresh_token;
			return { AUTH_ID: data.access_token, AUTH_EXPIRES: data.expires_in, REFRESH_ID: data.refresh_token };
		},
		resizeWindow(layout, params) {
			const box = layoutBox(layout);
			const width = params.width === '100%' ? '100%' : `${Number.parseInt(params.width, 10) || 100}px`;
			const height = Number.parseInt(params.height, 10);
			box.style.width = width;
			if (height) box.style.height = `${height}px`;
			const rect = box.getBoundingClientRect();
			return { width: rect.width, height: rect.height };
		},
		setTitle(_layout, params) {
			document.title = String(params.title);
			document.getElementById('b24-page-title').textContent = String(params.title);
			return params;
		},
		setScroll(_layout, params) {
			if (params && params.scroll >= 0) window.scrollTo(window.scrollX, Number.parseInt(params.scroll, 10));
			return params;
		},
		async setUserOption(layout, params) {
			await post(config.endpoints.options, {
				sid: layout.sid,
				scope: 'user',
				name: params.name,
				value: params.value,
			});
			layout.params.userOptions[params.name] = params.value;
			return params;
		},
		async setAppOption(layout, params) {
			// Only an admin may; the portal then simply never answers.
			if (!layout.params.isAdmin) return NO_REPLY;
			const data = await post(config.endpoints.options, {
				sid: layout.sid,
				scope: 'app',
				name: params.name,
				value: params.value,
			});
			layout.params.appOptions[params.name] = params.value;
			return data;
		},
		setInstall(_layout, params) {
			return params;
		},
		async setInstallFinish(layout, params) {
			// The portal marks the app installed, then reloads the page instead of answering.
			const data = await post(config.endpoints.installFinish, {
				sid: layout.sid,
				value: params.value !== false,
			});
			const url = new URL(location.href);
			url.searchParams.set('install_finished', data.result ? 'Y' : 'N');
			afterRecord = () => location.assign(url.href);
			return NO_REPLY;
		},
		reloadWindow() {
			afterRecord = () => location.reload();
			return NO_REPLY;
		},
		openApplication(_layout, params) {
			// A slider stands in for the app's own slider; the answer comes when it closes.
			return new Promise((resolve) =>
				slider.open(`Application slider ${JSON.stringify(params)}`, () => resolve(undefined)),
			);
		},
		closeApplication() {
			return slider.close() ? undefined : NO_REPLY;
		},
		openPath(_layout, params) {
			return new Promise((resolve) =>
				slider.open(`Portal path ${params.path}`, () => resolve({ result: 'close' })),
			);
		},
		imCallTo: () => NO_REPLY,
		imPhoneTo: () => NO_REPLY,
		imOpenMessenger: () => NO_REPLY,
		imOpenHistory: () => NO_REPLY,
		// The emulated card raises no placement events, so a binding never fires.
		placementBindEvent: () => NO_REPLY,
	};

	const reply = (layout, callbackId, result) => {
		const frame = frameOf(layout);
		const text = `${callbackId}:${result === undefined ? '' : JSON.stringify(result)}`;
		frame?.contentWindow?.postMessage(text, layout.appOrigin);
	};

	window.addEventListener('message', async (event) => {
		const base = {
			origin: event.origin,
			raw: event.data,
			command: null,
			params: null,
			callbackId: null,
			appSid: null,
		};
		if (typeof event.data !== 'string') {
			// Object messages (placement.call with a ':' in the command) are not part of this protocol.
			const target = [...layouts.values()].find((layout) => layout.appOrigin === event.origin);
			record({
				...base,
				placement: target?.placement ?? '',
				layoutSid: target?.sid ?? null,
				outcome: 'ignored',
				reason: 'not a string',
			});
			return;
		}
		const [command, rawParams, callbackId, appSid] = split(event.data);
		const layout = layouts.get(appSid);
		const parsed = {
			...base,
			command,
			callbackId: callbackId || null,
			appSid,
			placement: layout?.placement ?? '',
			layoutSid: layout ? appSid : null,
		};
		if (!layout || layout.appOrigin !== event.origin) {
			record({
				...parsed,
				params: rawParams || null,
				outcome: 'ignored',
				reason: layout ? 'foreign origin' : 'unknown APP_SID',
			});
			return;
		}
		let params;
		try {
			params = rawParams ? JSON.parse(rawParams) : [];
		} catch {
			record({ ...parsed, params: rawParams, outcome: 'ignored', reason: 'params are not JSON' });
			return;
		}
		const handler = Object.hasOwn(handlers, command) ? handlers[command] : undefined;
		if (!handler || layout.denied.includes(command)) {
			record({
				...parsed,
				params,
				outcome: 'ignored',
				reason: handler ? 'denied for this placement' : 'unknown command',
			});
			return;
		}
		let result;
		try {
			result = await handler(layout, params);
		} catch (error) {
			record({ ...parsed, params, outcome: 'ignored', reason: `handler failed: ${error?.message ?? error}` });
			return;
		}
		if (result === NO_REPLY || !callbackId) {
			record({ ...parsed, params, outcome: 'acted' });
			if (afterRecord) {
				const navigate = afterRecord;
				afterRecord = null;
				portal.flush().then(navigate);
			}
			return;
		}
		reply(layout, callbackId, result);
		record({ ...parsed, params, outcome: 'answered', reply: result === undefined ? null : result });
	});

	document.getElementById('b24-slider-close')?.addEventListener('click', () => slider.close());
	for (const layout of layouts.values()) {
		if (!layout.lazy) portal.open(layout.sid);
	}
})();
