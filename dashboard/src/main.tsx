import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LiveStore } from './live/live-store';
import { LiveStoreContext } from './live/use-live';
import './styles.css';

const store = new LiveStore();
store.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LiveStoreContext value={store}>
      <App />
    </LiveStoreContext>
  </StrictMode>,
);
