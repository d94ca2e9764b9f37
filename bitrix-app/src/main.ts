import { createApp } from 'vue';
import AppRoot from './app-root.vue';
import './style.css';

createApp(AppRoot).mount('#app');
