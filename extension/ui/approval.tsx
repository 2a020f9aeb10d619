import { render } from 'preact';
import { Shell } from './shell.js';

function Approval() {
  return (
    <Shell title="Approve request">
      <p class="muted">No request is waiting. Decoded approvals arrive with the wallet.</p>
    </Shell>
  );
}
render(<Approval />, document.getElementById('app')!);
