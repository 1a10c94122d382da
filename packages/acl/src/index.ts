export { ACCESS_KEY, SECRET_KEY, SECURITY_TOKEN, SIGNATURE, AclClientRPCHook, aclSignature, type SessionCredentials } from './signer.js';
export { Permission, checkPermission, parsePermission, permissionName } from './permission.js';
export { remoteAddressMatcher, type RemoteAddressMatcher } from './remote-address.js';
export { PlainAclConfigError, parsePlainAclConfig, type PlainAccount, type PlainAclConfig } from './plain-acl-config.js';
export { AclError, PlainAccessValidator, neededPermissions } from './plain-access-validator.js';
export { PlainAclFile, type AclDataVersion, type PlainAccessConfigUpdate } from './plain-acl-file.js';
