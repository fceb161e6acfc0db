export {
  CODE,
  ERROR_FAMILIES,
  codesDefinedTwice,
  errorEntry,
  isErrorCode,
  type ErrorCode,
} from './catalogue.js';
export type { ErrorEntry, ErrorFamily } from './entry.js';
