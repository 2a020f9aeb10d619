import { render } from 'preact';
import { Shell } from './shell.js';

function Dashboard() {
  return (
    <Shell title="Vigil dashboard">
      <p class="muted">Positions, margin and verification status appear here once the verifier follows an exchange.</p>
    </Shell>
  );
}
render(<Dashboard />, document.getElementById('app')!);
