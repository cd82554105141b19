// A real OpenID Connect provider (oidc-provider, OpenID Certified) for Tandem's tests, on a
// local port. Usage: node provider.mjs PORT REDIRECT_URI
// Anyone may sign in with any login (the development interactions); the login becomes the
// account's email address, so a test signs in as a person by typing their work email.
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
if (!port || !redirectUri) {
  console.error('usage: node provider.mjs PORT REDIRECT_URI');
  process.exit(2);
}

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'tandem',
    client_secret: 'tandem-test-secret',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  scopes: ['openid', 'email'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // Entra ID and most force providers put the email in the ID token; do the same here.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email: id, email_verified: true }),
  }),
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['tandem-test-provider-cookie-key'] },
});
provider.proxy = false;

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`provider listening on http://127.0.0.1:${port}`);
});
