import { render } from 'preact';
import { Shell } from './shell.js';

function Popup() {
  return (
    <Shell title="Vigil">
      <p>Self-custody keys and an independent L1 verifier for StarkEx perpetual exchanges.</p>
      <p class="muted">No vault yet: onboarding arrives with the wallet.</p>
      <p>
        <a href="./dashboard.html" target="_blank">Open the dashboard</a>
      </p>
    </Shell>
  );
}
render(<Popup />, document.getElementById('app')!);
