// The service worker: the app shell and what a focal point last read of their tasks stay available
// without a connection. The build writes it to dist/sw.js with the shell's files in PRECACHE, so each
// build is a new worker that replaces the old caches.
/* global self, caches */
const PRECACHE = self.__PRECACHE__;
const VERSION = self.__BUILD__;
const SHELL = `nmirf-shell-${VERSION}`;
const DATA = 'nmirf-data';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(['/', '/config.json', ...PRECACHE]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('nmirf-shell-') && name !== SHELL)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// Signing out, the page asks to forget what the worker kept of the person's data.
self.addEventListener('message', (event) => {
  if (event.data === 'forget-data') event.waitUntil(caches.delete(DATA));
});

/** The API reads a focal point needs offline: their tasks, a task, its reports, indicators, comments, inbox. */
const OFFLINE_API =
  /^\/api\/(actions\/(actions|progress-reports|indicators)(\/|\?|$)|notifications\/(institutions\/[^/]+\/inbox|me\/mail-preferences))/;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL, new Request('/')));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === '/config.json') {
    event.respondWith(networkFirst(request, SHELL, request));
  } else if (OFFLINE_API.test(url.pathname + url.search)) {
    // One person's answers never serve another's: the key carries the token's subject.
    event.respondWith(networkFirst(request, DATA, personalKey(request)));
  }
});

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

function personalKey(request) {
  const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
  let subject = 'anonymous';
  try {
    const payload = token.split('.')[1] ?? '';
    subject = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).sub ?? subject;
  } catch {
    // An unreadable token: the answer is cached as anonymous, which only anonymous reads match.
  }
  const url = new URL(request.url);
  url.searchParams.set('__as', subject);
  return new Request(url.toString());
}
