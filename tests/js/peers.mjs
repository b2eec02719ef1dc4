// The official JavaScript Cognito clients against a user pool on loopback:
// amazon-cognito-identity-js and Amplify v6 (@aws-amplify/auth), pinned in
// package-lock.json and installed by scripts/js-peers.sh, each driven through
// the same steps with the SDK's own code:
//
//   sign-in          USER_SRP_AUTH -> PASSWORD_VERIFIER -> tokens (NewDeviceMetadata,
//                    ConfirmDevice done by the SDK)
//   remember-device  identity-js setDeviceStatusRemembered / Amplify rememberDevice,
//                    then ListDevices says "remembered"
//   device-sign-in   a second sign-in (a fresh client on the same storage, as an
//                    app after a restart) that goes USER_SRP_AUTH -> PASSWORD_VERIFIER
//                    (with DEVICE_KEY) -> DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER,
//                    with no new device
//   refresh          identity-js refreshSession (InitiateAuth REFRESH_TOKEN_AUTH) /
//                    Amplify fetchAuthSession({ forceRefresh: true })
//                    (GetTokensFromRefreshToken): new tokens
//   sign-out         identity-js signOut(callback) / Amplify signOut(): RevokeToken,
//                    after which the SDK's refresh with the old refresh token is
//                    refused with NotAuthorizedException
//   wrong-password   NotAuthorizedException
//
// Step names are `<sdk>:<step>`, sdk = identity-js | amplify. Each step prints
// PASS, FAIL, XFAIL (failed, and listed in JS_PEERS_EXPECT_FAIL) or XPASS
// (passed though listed: take it off the list). Exit status 1 if any step FAILs.
//
// Inputs (flag or environment variable):
//   --endpoint      JS_PEERS_ENDPOINT      http://127.0.0.1:PORT (loopback only)
//   --user-pool-id  JS_PEERS_USER_POOL_ID
//   --client-id     JS_PEERS_CLIENT_ID     an app client without a secret
//   --username      JS_PEERS_USERNAME
//   --password      JS_PEERS_PASSWORD
//   --modules       JS_PEERS_DIR           the directory holding node_modules
//                                          (default: <repo>/target/js-peers)
//   --only          JS_PEERS_ONLY          identity-js | amplify (default: both)
//                   JS_PEERS_EXPECT_FAIL   comma-separated step names allowed to fail
//                   JS_PEERS_VERBOSE=1     print every request
//
// Every request goes through a fetch wrapper that refuses any host but loopback.

import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));

const { values: flags } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    'user-pool-id': { type: 'string' },
    'client-id': { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    modules: { type: 'string' },
    only: { type: 'string' },
  },
});

function input(flag, variable, fallback) {
  const value = flags[flag] ?? process.env[variable] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`peers.mjs: missing --${flag} (or ${variable})`);
    process.exit(2);
  }
  return value;
}

const endpoint = input('endpoint', 'JS_PEERS_ENDPOINT');
const userPoolId = input('user-pool-id', 'JS_PEERS_USER_POOL_ID');
const clientId = input('client-id', 'JS_PEERS_CLIENT_ID');
const username = input('username', 'JS_PEERS_USERNAME');
const password = input('password', 'JS_PEERS_PASSWORD');
const modules = resolve(input('modules', 'JS_PEERS_DIR', join(here, '..', '..', 'target', 'js-peers')));
const only = flags.only ?? process.env.JS_PEERS_ONLY ?? '';
const verbose = process.env.JS_PEERS_VERBOSE === '1';
const expectFail = new Set(
  (process.env.JS_PEERS_EXPECT_FAIL ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
if (!LOOPBACK.has(new URL(endpoint).hostname)) {
  console.error(`peers.mjs: ${endpoint} is not a loopback endpoint`);
  process.exit(2);
}
if (!existsSync(join(modules, 'node_modules', 'amazon-cognito-identity-js'))) {
  console.error(
    `peers.mjs: no node_modules in ${modules}; install the pinned clients with scripts/js-peers.sh`,
  );
  process.exit(2);
}

// ---------------------------------------------------------------- requests

/** Every request of the current step: { op, challenge, flow, status, error }. */
let calls = [];

const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, options = {}) => {
  const url = new URL(typeof resource === 'string' ? resource : (resource.url ?? String(resource)));
  if (!LOOPBACK.has(url.hostname)) {
    throw new Error(`peers.mjs refused a request to ${url.origin}: loopback only`);
  }
  const headers = new Headers(options.headers ?? (resource instanceof Request ? resource.headers : undefined));
  const target = headers.get('x-amz-target') ?? '';
  const call = { op: target.replace(/^AWSCognitoIdentityProviderService\./, '') };
  try {
    const body = JSON.parse(typeof options.body === 'string' ? options.body : '{}');
    if (body.ChallengeName) call.challenge = body.ChallengeName;
    if (body.AuthFlow) call.flow = body.AuthFlow;
    const params = body.AuthParameters ?? body.ChallengeResponses;
    if (params && 'DEVICE_KEY' in params && params.DEVICE_KEY != null) call.deviceKey = true;
  } catch {
    // not JSON: recorded by name only
  }
  const response = await realFetch(resource, options);
  call.status = response.status;
  if (response.status === 200) {
    try {
      const body = JSON.parse(await response.clone().text());
      if (body.AuthenticationResult?.NewDeviceMetadata) call.newDevice = true;
    } catch {
      // not JSON
    }
  } else {
    try {
      const text = await response.clone().text();
      const body = JSON.parse(text);
      call.error = `${String(body.__type ?? '').split('#').pop()}: ${body.message ?? body.Message ?? ''}`;
    } catch {
      call.error = `HTTP ${response.status}`;
    }
  }
  calls.push(call);
  if (verbose) console.log(`    ${describe(call)}`);
  return response;
};

function describe(call) {
  let text = call.op;
  if (call.flow) text += ` ${call.flow}`;
  if (call.challenge) text += ` ${call.challenge}`;
  if (call.deviceKey) text += ' (DEVICE_KEY)';
  text += ` -> ${call.status}`;
  if (call.newDevice) text += ' NewDeviceMetadata';
  if (call.error) text += ` ${call.error}`;
  return text;
}

function sequence() {
  return calls.map((c) => [c.op, c.flow, c.challenge].filter(Boolean).join(' '));
}

// ---------------------------------------------------------------- steps

const results = [];

class StepFailure extends Error {}

function check(condition, message) {
  if (!condition) throw new StepFailure(message);
}

function errorText(error) {
  if (error == null) return String(error);
  const name = error.code ?? error.name ?? 'Error';
  return `${name}: ${error.message ?? ''}`.trim();
}

/** Runs one step; returns what it returned, or undefined when it failed. */
async function step(name, body) {
  calls = [];
  let outcome;
  let detail = '';
  let value;
  try {
    value = await body();
    outcome = expectFail.has(name) ? 'XPASS' : 'PASS';
    if (outcome === 'XPASS') detail = 'passed, but it is in JS_PEERS_EXPECT_FAIL: take it off the list';
  } catch (error) {
    outcome = expectFail.has(name) ? 'XFAIL' : 'FAIL';
    detail = error instanceof StepFailure ? error.message : errorText(error);
  }
  results.push({ name, outcome });
  console.log(`${outcome.padEnd(5)} ${name}${detail ? ` - ${detail}` : ''}`);
  if (outcome !== 'PASS' && calls.length > 0) {
    for (const call of calls) console.log(`        ${describe(call)}`);
  }
  return value;
}

function decode(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** An in-memory storage with the Web Storage shape (identity-js) and the
 * async KeyValueStorage shape (Amplify). */
class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  setItem(key, value) {
    this.map.set(key, String(value));
    return Promise.resolve();
  }
  getItem(key) {
    return this.map.has(key) ? this.map.get(key) : null;
  }
  removeItem(key) {
    this.map.delete(key);
    return Promise.resolve();
  }
  clear() {
    this.map.clear();
    return Promise.resolve();
  }
  snapshot() {
    return new Map(this.map);
  }
  restore(snapshot) {
    this.map = new Map(snapshot);
  }
}

/** Amplify's KeyValueStorage: getItem is async. */
class AsyncMemoryStorage extends MemoryStorage {
  getItem(key) {
    return Promise.resolve(super.getItem(key));
  }
}

// Amplify names a new device after navigator.userAgent (getDeviceName), which
// Node before 21 lacks: without it Amplify skips ConfirmDevice silently.
if (typeof globalThis.navigator === 'undefined') {
  globalThis.navigator = { userAgent: `Node.js/${process.versions.node}` };
}

const require = createRequire(join(modules, 'package.json'));

// ---------------------------------------------------------------- identity-js

async function identityJs() {
  const {
    AuthenticationDetails,
    CognitoRefreshToken,
    CognitoUser,
    CognitoUserPool,
  } = require('amazon-cognito-identity-js');
  const storage = new MemoryStorage();
  // A fresh pool and user object on the same storage: an app after a restart.
  const newUser = () => {
    const pool = new CognitoUserPool({
      UserPoolId: userPoolId,
      ClientId: clientId,
      endpoint,
      Storage: storage,
    });
    return new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  };
  const authenticate = (user, secret) =>
    new Promise((resolve, reject) => {
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: secret }), {
        onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
        onFailure: reject,
        newPasswordRequired: () => reject(new StepFailure('unexpected NEW_PASSWORD_REQUIRED')),
        mfaRequired: (name) => reject(new StepFailure(`unexpected ${name}`)),
        totpRequired: (name) => reject(new StepFailure(`unexpected ${name}`)),
        mfaSetup: (name) => reject(new StepFailure(`unexpected ${name}`)),
        selectMFAType: (name) => reject(new StepFailure(`unexpected ${name}`)),
        customChallenge: () => reject(new StepFailure('unexpected CUSTOM_CHALLENGE')),
      });
    });
  const node = (fn) =>
    new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));
  const deviceKeyOf = (user) => storage.getItem(`${user.keyPrefix}.${user.username}.deviceKey`);

  let user = newUser();
  let session;

  await step('identity-js:sign-in', async () => {
    ({ session } = await authenticate(user, password));
    check(session.isValid(), 'the session is not valid');
    check(decode(session.getAccessToken().getJwtToken()).token_use === 'access', 'no access token');
    check(session.getRefreshToken().getToken(), 'no refresh token');
    const ops = sequence();
    check(
      ops[0] === 'InitiateAuth USER_SRP_AUTH' && ops[1] === 'RespondToAuthChallenge PASSWORD_VERIFIER',
      `calls were ${ops.join(', ')}`,
    );
    check(ops.includes('ConfirmDevice'), 'no NewDeviceMetadata, so the SDK confirmed no device');
    check(deviceKeyOf(user), 'the SDK stored no device key');
  });

  await step('identity-js:remember-device', async () => {
    check(user.getSignInUserSession(), 'not signed in');
    await new Promise((resolve, reject) =>
      user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
    );
    const listed = await new Promise((resolve, reject) =>
      user.listDevices(10, null, { onSuccess: resolve, onFailure: reject }),
    );
    const key = deviceKeyOf(user);
    const device = (listed.Devices ?? []).find((d) => d.DeviceKey === key);
    check(device, `ListDevices does not list ${key}`);
    const status = (device.DeviceAttributes ?? []).find((a) => a.Name === 'dev:device_remembered_status');
    check(status?.Value === 'remembered', `dev:device_remembered_status is ${status?.Value}`);
  });

  await step('identity-js:device-sign-in', async () => {
    const key = deviceKeyOf(user);
    check(key, 'no device from the first sign-in');
    user.signOut(); // local only: clears the cached tokens, keeps the device
    user = newUser();
    ({ session } = await authenticate(user, password));
    check(session.isValid(), 'the session is not valid');
    const ops = sequence();
    const expected = [
      'InitiateAuth USER_SRP_AUTH',
      'RespondToAuthChallenge PASSWORD_VERIFIER',
      'RespondToAuthChallenge DEVICE_SRP_AUTH',
      'RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER',
    ];
    check(
      expected.every((op, i) => ops[i] === op) && ops.length === expected.length,
      `calls were ${ops.join(', ')}; expected ${expected.join(', ')} (no ConfirmDevice)`,
    );
    check(decode(session.getAccessToken().getJwtToken()).device_key === key, 'the access token names another device');
  });

  await step('identity-js:refresh', async () => {
    check(session, 'no session to refresh');
    const before = session.getAccessToken().getJwtToken();
    const refreshed = await node((cb) => user.refreshSession(session.getRefreshToken(), cb));
    check(refreshed.isValid(), 'the refreshed session is not valid');
    check(refreshed.getAccessToken().getJwtToken() !== before, 'the same access token again');
    check(
      sequence().join() === 'InitiateAuth REFRESH_TOKEN_AUTH',
      `calls were ${sequence().join(', ')}`,
    );
    session = refreshed;
  });

  await step('identity-js:sign-out', async () => {
    if (!user.getSignInUserSession()) {
      user = newUser();
      ({ session } = await authenticate(user, password));
      calls = [];
    }
    const refreshToken = user.getSignInUserSession().getRefreshToken().getToken();
    check(
      decode(user.getSignInUserSession().getAccessToken().getJwtToken()).origin_jti,
      'the access token has no origin_jti, so the SDK does not revoke',
    );
    await node((cb) => user.signOut(cb));
    check(sequence().includes('RevokeToken'), `signOut sent no RevokeToken (calls: ${sequence().join(', ')})`);
    check(user.getSignInUserSession() === null, 'signOut kept the session');
    try {
      await node((cb) => user.refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken }), cb));
    } catch (error) {
      check(
        error.code === 'NotAuthorizedException',
        `the revoked refresh token was refused with ${errorText(error)}, not NotAuthorizedException`,
      );
      return;
    }
    throw new StepFailure('the revoked refresh token still refreshes');
  });

  await step('identity-js:wrong-password', async () => {
    try {
      await authenticate(newUser(), `${password}-wrong`);
    } catch (error) {
      check(error.code === 'NotAuthorizedException', `refused with ${errorText(error)}`);
      return;
    }
    throw new StepFailure('signed in with a wrong password');
  });
}

// ---------------------------------------------------------------- Amplify v6

async function amplify() {
  const { Amplify, Hub } = require('@aws-amplify/core');
  const auth = require('@aws-amplify/auth');
  const { cognitoUserPoolsTokenProvider } = require('@aws-amplify/auth/cognito');
  const storage = new AsyncMemoryStorage();
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  const config = {
    Auth: { Cognito: { userPoolId, userPoolClientId: clientId, userPoolEndpoint: endpoint } },
  };
  // What `aws-amplify`'s Amplify.configure does besides: the Cognito token
  // provider, configured, as the token provider (no identity pool here).
  cognitoUserPoolsTokenProvider.setAuthConfig(config.Auth);
  Amplify.configure(config, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
  const events = [];
  Hub.listen('auth', ({ payload }) => events.push(payload));

  const signIn = async (secret) => {
    const result = await auth.signIn({
      username,
      password: secret,
      options: { authFlowType: 'USER_SRP_AUTH' },
    });
    check(result.isSignedIn, `not signed in; next step ${result.nextStep?.signInStep}`);
    const { tokens } = await auth.fetchAuthSession();
    check(tokens?.accessToken, 'fetchAuthSession has no access token');
    return tokens;
  };
  const deviceKey = async () => (await cognitoUserPoolsTokenProvider.tokenOrchestrator.getDeviceMetadata())?.deviceKey;
  const signedIn = async () => Boolean((await auth.fetchAuthSession()).tokens?.accessToken);
  let tokens;

  await step('amplify:sign-in', async () => {
    tokens = await signIn(password);
    check(tokens.accessToken.payload.token_use === 'access', 'no access token');
    const ops = sequence();
    check(
      ops[0] === 'InitiateAuth USER_SRP_AUTH' && ops[1] === 'RespondToAuthChallenge PASSWORD_VERIFIER',
      `calls were ${ops.join(', ')}`,
    );
    check(ops.includes('ConfirmDevice'), 'no NewDeviceMetadata, so the SDK confirmed no device');
    check(await deviceKey(), 'the SDK stored no device key');
  });

  await step('amplify:remember-device', async () => {
    check(await signedIn(), 'not signed in');
    await auth.rememberDevice();
    const key = await deviceKey();
    const device = (await auth.fetchDevices()).find((d) => d.id === key);
    check(device, `fetchDevices does not list ${key}`);
    const status = device.attributes['dev:device_remembered_status'];
    check(status === 'remembered', `dev:device_remembered_status is ${status}`);
  });

  await step('amplify:device-sign-in', async () => {
    const key = await deviceKey();
    check(key, 'no device from the first sign-in');
    await auth.signOut(); // revokes this session; the device stays in the storage
    calls = [];
    tokens = await signIn(password);
    const ops = sequence().filter((op) => op !== 'GetUser'); // Amplify's signedIn hub event
    const expected = [
      'InitiateAuth USER_SRP_AUTH',
      'RespondToAuthChallenge PASSWORD_VERIFIER',
      'RespondToAuthChallenge DEVICE_SRP_AUTH',
      'RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER',
    ];
    check(
      expected.every((op, i) => ops[i] === op) && ops.length === expected.length,
      `calls were ${ops.join(', ')}; expected ${expected.join(', ')} (no ConfirmDevice)`,
    );
    check(tokens.accessToken.payload.device_key === key, 'the access token names another device');
  });

  await step('amplify:refresh', async () => {
    check(await signedIn(), 'not signed in');
    const before = (await auth.fetchAuthSession()).tokens.accessToken.toString();
    const snapshot = storage.snapshot();
    events.length = 0;
    let session;
    try {
      session = await auth.fetchAuthSession({ forceRefresh: true });
    } catch (error) {
      storage.restore(snapshot); // keep the session for the next steps
      throw error;
    }
    const failure = events.find((e) => e.event === 'tokenRefresh_failure');
    if (failure) storage.restore(snapshot);
    check(!failure, `tokenRefresh_failure: ${errorText(failure?.data?.error)}`);
    check(events.some((e) => e.event === 'tokenRefresh'), 'no tokenRefresh event');
    check(session.tokens?.accessToken, 'no access token after the refresh');
    check(session.tokens.accessToken.toString() !== before, 'the same access token again');
    check(
      sequence().includes('GetTokensFromRefreshToken'),
      `calls were ${sequence().join(', ')}`,
    );
  });

  await step('amplify:sign-out', async () => {
    if (!(await signedIn())) {
      await signIn(password);
      calls = [];
    }
    check(
      (await auth.fetchAuthSession()).tokens.accessToken.payload.origin_jti,
      'the access token has no origin_jti, so the SDK does not revoke',
    );
    const snapshot = storage.snapshot();
    await auth.signOut(); // swallows a RevokeToken failure: checked through the calls
    const revoke = calls.find((c) => c.op === 'RevokeToken');
    check(revoke, `signOut sent no RevokeToken (calls: ${sequence().join(', ')})`);
    check(revoke.status === 200, `RevokeToken failed: ${revoke.error}`);
    check(!(await signedIn()), 'still signed in after signOut');
    // The revoked refresh token put back: the SDK's refresh must be refused.
    storage.restore(snapshot);
    events.length = 0;
    let session;
    try {
      session = await auth.fetchAuthSession({ forceRefresh: true });
    } catch (error) {
      throw new StepFailure(`the revoked refresh token was refused with ${errorText(error)}, not NotAuthorizedException`);
    } finally {
      await cognitoUserPoolsTokenProvider.tokenOrchestrator.clearTokens();
    }
    const failure = events.find((e) => e.event === 'tokenRefresh_failure');
    check(!session.tokens && failure, 'the revoked refresh token still refreshes');
    check(
      failure.data.error.name === 'NotAuthorizedException',
      `the revoked refresh token was refused with ${errorText(failure.data.error)}`,
    );
  });

  await step('amplify:user-auth-password-srp', async () => {
    if (await signedIn()) await auth.signOut();
    calls = [];
    const result = await auth.signIn({
      username,
      password,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' },
    });
    check(result.isSignedIn, `not signed in; next step ${result.nextStep?.signInStep}`);
    const ops = sequence();
    check(
      ops[0] === 'InitiateAuth USER_AUTH' && ops[1] === 'RespondToAuthChallenge PASSWORD_VERIFIER',
      `calls were ${ops.join(', ')}; expected PASSWORD_VERIFIER straight after InitiateAuth USER_AUTH`,
    );
  });

  await step('amplify:user-auth-select-challenge', async () => {
    if (await signedIn()) await auth.signOut();
    calls = [];
    const first = await auth.signIn({ username, options: { authFlowType: 'USER_AUTH' } });
    const next = first.nextStep;
    check(
      next?.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      `next step ${next?.signInStep}`,
    );
    const offered = next.availableChallenges ?? [];
    check(
      offered.includes('PASSWORD') && offered.includes('PASSWORD_SRP'),
      `availableChallenges ${JSON.stringify(offered)}`,
    );
    const chosen = await auth.confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    check(
      chosen.nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_PASSWORD',
      `after choosing PASSWORD_SRP: ${chosen.nextStep?.signInStep}`,
    );
    const done = await auth.confirmSignIn({ challengeResponse: password });
    check(done.isSignedIn, `not signed in; next step ${done.nextStep?.signInStep}`);
    const ops = sequence();
    check(
      ops[1] === 'RespondToAuthChallenge SELECT_CHALLENGE' &&
        ops[2] === 'RespondToAuthChallenge PASSWORD_VERIFIER',
      `calls were ${ops.join(', ')}`,
    );
  });

  await step('amplify:wrong-password', async () => {
    if (await signedIn()) await auth.signOut();
    try {
      await auth.signIn({
        username,
        password: `${password}-wrong`,
        options: { authFlowType: 'USER_SRP_AUTH' },
      });
    } catch (error) {
      check(error.name === 'NotAuthorizedException', `refused with ${errorText(error)}`);
      return;
    }
    throw new StepFailure('signed in with a wrong password');
  });
}

// ---------------------------------------------------------------- main

const sdks = { 'identity-js': identityJs, amplify };
if (only && !(only in sdks)) {
  console.error(`peers.mjs: --only ${only}: expected one of ${Object.keys(sdks).join(', ')}`);
  process.exit(2);
}
for (const [name, run] of Object.entries(sdks)) {
  if (only && only !== name) continue;
  try {
    await run();
  } catch (error) {
    // A step's harness broke (not a step failing): counts as a failure.
    console.log(`FAIL  ${name} - ${error?.stack ?? error}`);
    results.push({ name, outcome: 'FAIL' });
  }
}

const count = (outcome) => results.filter((r) => r.outcome === outcome).length;
const unknown = [...expectFail].filter((name) => !results.some((r) => r.name === name));
if (unknown.length > 0) console.log(`note: JS_PEERS_EXPECT_FAIL names no step ${unknown.join(', ')}`);
console.log(
  `js peers: ${count('PASS')} passed, ${count('FAIL')} failed, ${count('XFAIL')} expected failures, ${count('XPASS')} unexpected passes`,
);
process.exit(count('FAIL') > 0 ? 1 : 0);
