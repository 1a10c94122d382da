export { ACCESS_KEY, SECRET_KEY, SECURITY_TOKEN, SIGNATURE, AclClientRPCHook, aclSignature, type SessionCredentials } from './signer.js';
