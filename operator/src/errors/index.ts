/**
 * The error catalogue's surface: each `VIBE_*` code as a value (`CODE`) and their union type. The
 * entries themselves (message template, what to do) become docs/errors.md (errors-doc.ts).
 */
export { CODE, type ErrorCode } from './catalogue.js';
