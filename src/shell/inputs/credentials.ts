/** Who the action acts for: the application (client-id, client-secret, refresh-token, region) and the GitHub token. */
import { InputError } from '../../lib/input-error.js'
import { SP_API_ENDPOINTS, type Region } from './endpoints.js'
import { CLIENT_ID, requiredOf, type Read } from './fields.js'

export interface Credentials {
  clientId: string
  clientSecret: string
  refreshToken: string | undefined
  githubToken: string
  region: Region
}

export function readCredentials(read: Read): Credentials {
  const required = requiredOf(read)
  const clientId = required('client-id', 'the LWA client id of your application (amzn1.application-oa2-client.…)')
  if (!CLIENT_ID.test(clientId)) {
    throw new InputError(
      'client-id',
      'is not an LWA client id. It looks like amzn1.application-oa2-client.<letters and digits> (Developer Console → your app → View → LWA credentials).',
    )
  }
  const clientSecret = required('client-secret', 'the current LWA client secret, e.g. ${{ secrets.LWA_CLIENT_SECRET }}')
  if (/\s/.test(clientSecret)) {
    throw new InputError('client-secret', 'contains white space; paste the secret exactly as the Developer Console shows it.')
  }
  const githubToken = required('github-token', 'a token that can write the target secrets (a GitHub App token or fine-grained PAT)')
  const refreshToken = read('refresh-token') || undefined
  const region = (read('region') || 'na').toLowerCase()
  if (!(region in SP_API_ENDPOINTS)) {
    throw new InputError('region', `'${region}' is not a region. Use na, eu or fe: the region your application is registered in.`)
  }
  return { clientId, clientSecret, refreshToken, githubToken, region: region as Region }
}
