// Tabs of the emulated CRM card. An app tab loads its iframe the first time it is shown, as a
// portal loads detail-tab placements lazily.
(() => {
	const tabs = [...document.querySelectorAll('[role="tab"]')];
	const show = (tab) => {
		for (const other of tabs) {
			const selected = other === tab;
			other.setAttribute('aria-selected', String(selected));
			document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
		}
		const sid = tab.dataset.appSid;
		if (sid) window.__portal.open(sid);
	};
	for (const tab of tabs) tab.addEventListener('click', () => show(tab));
	const wanted = new URL(location.href).searchParams.get('active_tab');
	const initial = tabs.find((tab) => tab.id === wanted);
	if (initial) show(initial);
})();
