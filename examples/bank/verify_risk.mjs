// Verifies a scamguard risk assertion as a bank would, with jose (npm install jose).
//
//     node verify_risk.mjs JWKS_URL ISSUER AUDIENCE < assertion.jwt
//
// ISSUER is the operator's name (`serve --assertion-issuer`), AUDIENCE the bank's own API key
// id. Prints the verified claims as JSON; exits 1 with the reason when the assertion is refused.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksUrl, issuer, audience] = process.argv.slice(2);
// Fetches the key set once and again when a token names a key it does not hold (a rotation).
const keys = createRemoteJWKSet(new URL(jwksUrl));

let token = '';
for await (const chunk of process.stdin) token += chunk;

try {
  const { payload } = await jwtVerify(token.trim(), keys, {
    algorithms: ['ES256'],
    typ: 'scamguard-risk+jwt',
    issuer,
    audience,
    maxTokenAge: '300s',
    clockTolerance: 5,
    requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti', 'sub'],
  });
  console.log(JSON.stringify(payload));
} catch (e) {
  console.error(`refused: ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
