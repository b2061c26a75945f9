/**
 * Installs the service worker (production builds only: the dev server's modules are not cacheable).
 * The task pages call it, so a focal point's first visit already prepares the next offline one.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}

/** Asks the worker to drop the cached API answers (on sign-out). */
export function forgetOfflineData(): void {
  navigator.serviceWorker?.controller?.postMessage('forget-data');
}
