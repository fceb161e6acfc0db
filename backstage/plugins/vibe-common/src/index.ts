export {
  vibeEnvironmentCreatePermission,
  vibeEnvironmentDeletePermission,
  vibeEnvironmentExtendPermission,
  vibeEnvironmentReadPermission,
  vibePermissions,
} from './permissions.js';
export {
  ENVIRONMENTS_ANNOTATION,
  parseEnvironmentsAnnotation,
  type EnvironmentSelector,
} from './annotation.js';
