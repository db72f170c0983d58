/** Entry point of the staff console bundle (built by src/http/console.plugin.ts). */
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) render(<App />, root);
