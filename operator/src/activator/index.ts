/**
 * The activator (ADR 0096, 0097): holds requests to sleeping environments' previews while they wake,
 * behind the operator's preview router or an in-cluster ingress controller, and counts the requests
 * that keep environments awake.
 */
export { Activator, type ActivatorOptions } from './activator.js';
export { ActivatorHosts } from './activator-hosts.js';
export { ControllerTraffic, type ControllerTrafficOptions } from './controller-traffic.js';
export { ControllerActivator, type ControllerActivatorOptions } from './controller-activator.js';
export { RequestActivity } from './request-activity.js';
