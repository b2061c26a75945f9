import { startTracing, tracingConfigured } from './tracing';

// Imported first by the platform's index: the SDK must patch http, express, pg and ioredis before
// anything loads them.
if (tracingConfigured()) startTracing();
