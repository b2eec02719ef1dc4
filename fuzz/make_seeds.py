#!/usr/bin/env python3
"""Writes the hand-made seeds (`corpus/<target>/seed-<sha1>`) from the crate's
test vectors and a few Cognito-like requests and responses. Idempotent: run it
after `cargo fuzz cmin` to put back any seed the minimiser dropped."""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.join(HERE, "..", "vectors")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


user = json.load(open(os.path.join(VECTORS, "user_srp.json")))
device = json.load(open(os.path.join(VECTORS, "device_srp.json")))

# challenge_parameters, signed_hex_and_pad, secret_block: the vectors' values.
for v in user["vectors"][:10] + user["invalid"]:
    lines = ["user"]
    for key, field in [("SRP_B", "srp_b"), ("SALT", "salt"),
                       ("SECRET_BLOCK", "secret_block"), ("USER_ID_FOR_SRP", "user_id_for_srp")]:
        if field in v:
            lines.append(f"{key}={v[field]}")
    lines.append("USERNAME=alice")
    put("challenge_parameters", "\n".join(lines))
    for field in ("srp_b", "salt"):
        if field in v:
            put("signed_hex_and_pad", v[field])
    if "secret_block" in v:
        put("secret_block", v["secret_block"])
for v in device["auth_vectors"][:4]:
    lines = ["device"] + [f"{k.upper()}={v[k]}" for k in ("srp_b", "salt", "secret_block")]
    lines.append("USERNAME=" + v.get("username", v.get("user_id_for_srp", "u")))
    put("challenge_parameters", "\n".join(lines))
for s in ["-80", "00aB", "0", "-0", "FfF", "-", "0x10", " 1", "1" * 1537]:
    put("signed_hex_and_pad", s)
for s in ["3f1c2a9e-7b4d-4e8a-9c21-5d6f7a8b9c0d", "AAE=", "AAE", "3q2-7w", "3q2+7w==",
          "3q2+7w-_", "A"]:
    put("secret_block", s)

# transport_response: "status\nx-amzn-ErrorType\nbody".
v = user["vectors"][0]
cp = {"SALT": v["salt"], "SECRET_BLOCK": v["secret_block"], "SRP_B": v["srp_b"],
      "USERNAME": v["user_id_for_srp"], "USER_ID_FOR_SRP": v["user_id_for_srp"]}
jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4IiwiZXhwIjoxfQ.c2ln"
responses = [
    ("200", "", {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": cp}),
    ("200", "", {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": dict(cp, SRP_B="0")}),
    ("200", "", {"AuthenticationResult": {"AccessToken": jwt, "ExpiresIn": 3600, "IdToken": jwt,
                                          "RefreshToken": "r", "TokenType": "Bearer",
                                          "NewDeviceMetadata": {"DeviceKey": "us-east-1_x",
                                                                "DeviceGroupKey": "-g"}},
                 "ChallengeParameters": {}}),
    ("200", "", {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "AYABeD",
                 "ChallengeParameters": {"USER_ID_FOR_SRP": "u", "FRIENDLY_DEVICE_NAME": "phone"}}),
    ("200", "", {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s",
                 "ChallengeParameters": {"USER_ID_FOR_SRP": "u",
                                         "requiredAttributes": "[\"userAttributes.name\"]",
                                         "userAttributes": "{\"email\":\"a@b.c\",\"email_verified\":true}"}}),
    ("200", "", {"ChallengeName": "SELECT_MFA_TYPE", "Session": "s",
                 "ChallengeParameters": {"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}}),
    ("200", "", {"ChallengeName": "SELECT_CHALLENGE", "Session": "s",
                 "AvailableChallenges": ["PASSWORD_SRP", "PASSWORD"], "ChallengeParameters": {}}),
    ("200", "", {"ChallengeName": "MFA_SETUP", "Session": "s",
                 "ChallengeParameters": {"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}}),
    ("200", "", {"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s", "ChallengeParameters": {"q": "1"}}),
    ("200", "", {"SecretCode": "ABC", "Session": "s"}),
    ("200", "", {"Status": "SUCCESS"}),
    ("200", "", {"UserConfirmationNecessary": True}),
    ("400", "", {"__type": "NotAuthorizedException", "message": "Incorrect username or password."}),
    ("400", "", {"__type": "com.amazonaws#TooManyRequestsException", "Message": "Rate exceeded"}),
    ("400", "UserNotFoundException:http://internal.amazon.com/", None),
    ("500", "", None),
    ("503", "", {"__type": "InternalErrorException"}),
]
for status, header, body in responses:
    put("transport_response", f"{status}\n{header}\n" + ("" if body is None else json.dumps(body)))
put("transport_response", "200\n\n")
put("transport_response", "200\n\n{\"ChallengeName\":")

# local_pool_request: "X-Amz-Target\nbody", placeholders filled by the target.
def initiate(flow, params, client="fuzzclient"):
    return json.dumps({"AuthFlow": flow, "ClientId": client, "AuthParameters": params})


A = v.get("srp_a", "abc")
pool = "us-east-1_AbCdEf123"
requests = [
    ("InitiateAuth", initiate("USER_SRP_AUTH", {"USERNAME": "alice", "SRP_A": A})),
    ("InitiateAuth", initiate("USER_SRP_AUTH", {"USERNAME": "carol", "SRP_A": A, "SECRET_HASH": "x"},
                              "fuzzsecretclient")),
    ("InitiateAuth", initiate("USER_SRP_AUTH", {"USERNAME": "alice", "SRP_A": A, "DEVICE_KEY": "us-east-1_x"})),
    ("InitiateAuth", initiate("USER_PASSWORD_AUTH", {"USERNAME": "bob", "PASSWORD": "Temporary1!"})),
    ("InitiateAuth", initiate("USER_PASSWORD_AUTH", {"USERNAME": "carol", "PASSWORD": "Password1!"})),
    ("InitiateAuth", initiate("REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": "x"})),
    ("InitiateAuth", initiate("CUSTOM_AUTH", {"USERNAME": "alice", "SRP_A": A, "CHALLENGE_NAME": "SRP_A"})),
    ("RespondToAuthChallenge", json.dumps({"ClientId": "fuzzclient", "ChallengeName": "PASSWORD_VERIFIER",
                                           "ChallengeResponses": {"USERNAME": "@SUB@",
                                                                  "PASSWORD_CLAIM_SECRET_BLOCK": "@SB@",
                                                                  "PASSWORD_CLAIM_SIGNATURE": "@SIG@",
                                                                  "TIMESTAMP": "@TS@"}})),
    ("RespondToAuthChallenge", json.dumps({"ClientId": "fuzzclient", "ChallengeName": "PASSWORD_VERIFIER",
                                           "Session": "@SESSION@",
                                           "ChallengeResponses": {"USERNAME": "@SUB@",
                                                                  "PASSWORD_CLAIM_SECRET_BLOCK": "@SB@",
                                                                  "PASSWORD_CLAIM_SIGNATURE": "AAAA",
                                                                  "TIMESTAMP": "@TS@"}})),
    ("RespondToAuthChallenge", json.dumps({"ClientId": "fuzzclient", "ChallengeName": "NEW_PASSWORD_REQUIRED",
                                           "Session": "s", "ChallengeResponses": {"USERNAME": "bob",
                                                                                  "NEW_PASSWORD": "NewPassword1!"}})),
    ("RespondToAuthChallenge", json.dumps({"ClientId": "fuzzclient", "ChallengeName": "SOFTWARE_TOKEN_MFA",
                                           "Session": "s", "ChallengeResponses": {"USERNAME": "carol",
                                                                                  "SOFTWARE_TOKEN_MFA_CODE": "123456"}})),
    ("AssociateSoftwareToken", json.dumps({"AccessToken": "@ACCESS@"})),
    ("VerifySoftwareToken", json.dumps({"AccessToken": "@ACCESS@", "UserCode": "123456"})),
    ("SetUserMFAPreference", json.dumps({"AccessToken": "@ACCESS@",
                                         "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})),
    ("AdminCreateUser", json.dumps({"UserPoolId": pool, "Username": "dave", "TemporaryPassword": "Temporary1!",
                                    "UserAttributes": [{"Name": "email", "Value": "d@e.f"}]})),
    ("AdminSetUserPassword", json.dumps({"UserPoolId": pool, "Username": "dave", "Password": "Password1!",
                                         "Permanent": True})),
    ("AdminGetUser", json.dumps({"UserPoolId": pool, "Username": "alice"})),
    ("AdminSetUserMFAPreference", json.dumps({"UserPoolId": pool, "Username": "carol",
                                              "SoftwareTokenMfaSettings": {"Enabled": True}})),
    ("ConfirmDevice", json.dumps({"AccessToken": "@ACCESS@", "DeviceKey": "us-east-1_x",
                                  "DeviceSecretVerifierConfig": {"PasswordVerifier": "AAAA", "Salt": "AAAA"}})),
    ("ListDevices", json.dumps({"AccessToken": "@ACCESS@"})),
    ("-", "{}"),
    ("ListUsers", "{}"),
    ("InitiateAuth", "{\"AuthFlow\":"),
    ("InitiateAuth", "{\"AuthFlow\":1}"),
]
for target, body in requests:
    put("local_pool_request", f"{target}\n{body}")
