/** The entity card alone in a page, calling the backend plugin through the page's own origin. */
import { createRoot } from 'react-dom/client';
import { VibeClient } from '../../plugins/vibe/src/api.js';
import { VibeEnvironmentsCard } from '../../plugins/vibe/src/components/VibeEnvironmentsCard.js';

const params = new URLSearchParams(location.search);
const api = new VibeClient(async () => '/api/vibe', window.fetch.bind(window));
const entity = {
  kind: params.get('kind') ?? 'component',
  namespace: params.get('namespace') ?? 'default',
  name: params.get('name') ?? '',
};
const root = document.getElementById('root');
if (root) createRoot(root).render(<VibeEnvironmentsCard api={api} entity={entity} pollMs={500} />);
