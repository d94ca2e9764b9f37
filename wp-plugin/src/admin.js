import { LookupScreen } from './lookup-screen';
import { mount } from './mount';
import { SettingsScreen } from './settings-screen';
import { TimelinePanel } from './timeline-panel';
import './admin.scss';

const settings = document.getElementById('nitka-settings');
if (settings) mount(<SettingsScreen />, settings);

const lookup = document.getElementById('nitka-lookup');
if (lookup) mount(<LookupScreen />, lookup);

for (const node of document.querySelectorAll('.nitka-timeline')) {
	const query = node.dataset.order ? { order: node.dataset.order } : { user: node.dataset.user };
	mount(<TimelinePanel query={query} />, node);
}
