/**
 * What the AWS adapters say when AWS refuses the credentials themselves rather than a permission: a list of IAM
 * actions would send the reader the wrong way. Pure: no SDK import, so any adapter can use it.
 */

/** Error names and codes with which AWS refuses the credentials (STS, SQS and Secrets Manager spell them differently). */
export const INVALID_CREDENTIALS =
  /^(InvalidClientTokenId|UnrecognizedClient(Exception)?|ExpiredToken(Exception)?|SignatureDoesNotMatch|InvalidSignature(Exception)?|IncompleteSignature(Exception)?|InvalidAccessKeyId|MissingAuthenticationToken)$/

/** The fix, as the end of a sentence that begins with what AWS refused. */
export const CREDENTIALS_FIX =
  'the AWS credentials are invalid or expired. Check the aws-actions/configure-aws-credentials step before this one ' +
  '(role-to-assume, aws-region), and that the session outlasts the job: its role-duration-seconds (default 3600) ' +
  "within the role's maximum session duration. Keys set by hand (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) must belong together and be current."

/** The error's name and, when the SDK keeps one, its query-protocol code (SQS's KMS.AccessDeniedException). */
export function errorCodes(error: unknown): string[] {
  const { name, Code } = error as { name?: unknown; Code?: unknown }
  return [name, Code].filter((c): c is string => typeof c === 'string' && c !== '')
}
