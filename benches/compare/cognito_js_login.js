// Times amazon-cognito-identity-js's full SRP client login (USER_SRP_AUTH) on one vector.
//
// Usage: NODE_PATH=<dir with node_modules> node cognito_js_login.js VECTORS_JSON
//          [--vector NAME] [--samples N] [--min-sample-ms MS]
//
// One timed login is what CognitoUser.authenticateUserDefaultAuth does per
// sign-in, without the network:
//   * A: AuthenticationHelper's smallAValue set to the vector's a, largeAValue
//     cleared, getLargeAValue() (g^a mod N) and SRP_A = A.toString(16);
//   * the challenge: SRP_B and SALT parsed as BigInteger(…, 16), then
//     getPasswordAuthenticationKey() (u, x, g^x, S, HKDF) and the signature
//     exactly as CognitoUser computes it (Buffer.concat of pool name, user id,
//     base64-decoded SECRET_BLOCK and the timestamp, HMAC by @aws-crypto
//     Sha256(key), base64), with the clock fixed to the vector's TIMESTAMP.
// The helper (N, g, k) is constructed once, outside the timing (its
// constructor also draws a random a and computes an A we do not use).
//
// Before timing, SRP_A and PASSWORD_CLAIM_SIGNATURE are checked against the
// vector (exit 1 on mismatch). Each sample is a batch of logins taking at least
// --min-sample-ms of process CPU time; the medians over --samples samples are
// printed last:
//   cognito_js_version=...
//   cognito_js_login_cpu_median_us=<float>
//   cognito_js_login_wall_median_us=<float>
'use strict';

const fs = require('fs');
const AuthenticationHelper = require('amazon-cognito-identity-js/lib/AuthenticationHelper').default;
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger').default;
const { Sha256 } = require('@aws-crypto/sha256-js');
const pkg = require('amazon-cognito-identity-js/package.json');

function parseArgs(argv) {
  const args = { vector: 'baseline_uuid_user', samples: 15, minSampleMs: 50 };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vector') args.vector = argv[++i];
    else if (argv[i] === '--samples') args.samples = Number(argv[++i]);
    else if (argv[i] === '--min-sample-ms') args.minSampleMs = Number(argv[++i]);
    else rest.push(argv[i]);
  }
  if (rest.length !== 1) {
    console.error('usage: cognito_js_login.js VECTORS_JSON [--vector NAME] [--samples N] [--min-sample-ms MS]');
    process.exit(2);
  }
  args.file = rest[0];
  return args;
}

function median(xs) {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const file = JSON.parse(fs.readFileSync(args.file, 'utf8'));
  const v = file.vectors.find((x) => x.name === args.vector);
  if (!v) {
    console.error(`cognito-js: no vector ${args.vector}`);
    process.exit(2);
  }
  const poolName = v.user_pool_id.split('_')[1];
  const smallA = new BigInteger(v.a, 16);
  const challenge = {
    SRP_B: v.srp_b,
    SALT: v.salt,
    SECRET_BLOCK: v.secret_block,
    USER_ID_FOR_SRP: v.user_id_for_srp,
  };
  const dateNow = () => v.timestamp; // the fixed clock (DateHelper.getNowString)

  const helper = new AuthenticationHelper(poolName);

  function login() {
    helper.smallAValue = smallA;
    helper.largeAValue = undefined;
    let srpA;
    helper.getLargeAValue((err, aValue) => {
      if (err) throw err;
      srpA = aValue.toString(16);
    });
    const serverBValue = new BigInteger(challenge.SRP_B, 16);
    const salt = new BigInteger(challenge.SALT, 16);
    const username = challenge.USER_ID_FOR_SRP;
    let signature;
    // The callbacks run synchronously (jsbn modPow); checked below.
    helper.getPasswordAuthenticationKey(username, v.password, serverBValue, salt, (err, hkdf) => {
      if (err) throw err;
      const concatBuffer = Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(username, 'utf8'),
        Buffer.from(challenge.SECRET_BLOCK, 'base64'),
        Buffer.from(dateNow(), 'utf8'),
      ]);
      const mac = new Sha256(hkdf);
      mac.update(concatBuffer);
      signature = Buffer.from(mac.digestSync()).toString('base64');
    });
    return [srpA, signature];
  }

  const [srpA, signature] = login();
  if (srpA !== v.expected.srp_a) {
    console.error('cognito-js: SRP_A differs from the vector');
    process.exit(1);
  }
  if (signature !== v.expected.password_claim_signature) {
    console.error('cognito-js: signature differs from the vector');
    process.exit(1);
  }

  let batch = 1;
  for (;;) {
    const c0 = cpuMicros();
    for (let i = 0; i < batch; i++) login();
    if ((cpuMicros() - c0) / 1e3 >= args.minSampleMs) break;
    batch *= 2;
  }

  const cpu = [];
  const wall = [];
  for (let s = 0; s < args.samples; s++) {
    const c0 = cpuMicros();
    const w0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) login();
    const w1 = process.hrtime.bigint();
    const c1 = cpuMicros();
    cpu.push((c1 - c0) / batch);
    wall.push(Number(w1 - w0) / 1e3 / batch);
  }
  console.log(`# ${args.samples} samples x ${batch} logins, vector ${args.vector}, node ${process.version}`);
  console.log(`cognito_js_version=${pkg.version}`);
  console.log(`cognito_js_login_cpu_median_us=${median(cpu).toFixed(1)}`);
  console.log(`cognito_js_login_wall_median_us=${median(wall).toFixed(1)}`);
}

main();
