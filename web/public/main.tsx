/** Entry point of the public site's bundle (built by src/http/public-site.plugin.ts). */
import { render } from 'preact';
import { Shell } from './shell.tsx';

const root = document.getElementById('app');
if (root) render(<Shell />, root);
