/**
 * The activator (ADR 0096, 0097): holds requests to sleeping environments' previews while they wake,
 * and counts the requests that keep environments awake.
 */
export { Activator, type ActivatorOptions } from './activator.js';
export { RequestActivity } from './request-activity.js';
